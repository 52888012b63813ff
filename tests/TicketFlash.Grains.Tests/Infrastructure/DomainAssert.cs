using TicketFlash.Abstractions.Common;

namespace TicketFlash.Grains.Tests.Infrastructure;

public static class DomainAssert
{
    /// <summary>Asserts the call is refused by the domain with exactly <paramref name="code"/>.</summary>
    public static async Task<DomainException> Refuses(DomainErrorCode code, Func<Task> call)
    {
        var refusal = await Assert.ThrowsAsync<DomainException>(call);
        Assert.True(refusal.Code == code, $"Expected {code} but the domain answered {refusal.Code}: {refusal.Message}");
        return refusal;
    }
}
