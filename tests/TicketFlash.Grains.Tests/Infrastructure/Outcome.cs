using TicketFlash.Abstractions.Common;

namespace TicketFlash.Grains.Tests.Infrastructure;

/// <summary>The result of one call among many concurrent ones: a value, a domain refusal, or an unexpected failure.</summary>
public sealed record Outcome<T>(T? Value, DomainException? Refusal, Exception? Failure)
{
    public bool Succeeded => Failure is null && Refusal is null;
}

public static class Outcome
{
    public static async Task<Outcome<T>> Of<T>(Func<Task<T>> call)
    {
        try
        {
            return new Outcome<T>(await call(), null, null);
        }
        catch (DomainException refusal)
        {
            return new Outcome<T>(default, refusal, null);
        }
        catch (Exception failure)
        {
            return new Outcome<T>(default, null, failure);
        }
    }
}
