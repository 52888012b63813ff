using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;

namespace TicketFlash.Api.Auth;

/// <summary>
/// Bearer tokens this node has validated, remembered for at most <see cref="MaxAge"/> and never past their own expiry.
/// A fan's hold and pay (and retries) carry the same token; validating it once instead of on every request saved the
/// API about 5 % of its allocations in a flash sale (bench/README.md). Only a token that passed full validation is
/// remembered, so nothing is accepted that validation would refuse, except a token whose signing key was withdrawn
/// within the last <see cref="MaxAge"/> (keys change by configuration and restart, or by the issuer's key rotation).
/// </summary>
/// <remarks>The window is <see cref="MaxAge"/> unless Auth:ValidatedTokensMaxAge says otherwise (tests of key rotation shorten it).</remarks>
public sealed class ValidatedTokens(TimeProvider clock, int capacity = 50_000, TimeSpan? maxAge = null)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly TimeSpan _maxAge = maxAge ?? MaxAge;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // ConcurrentDictionary.Count takes every lock of the table: kept alongside instead, exact when calls don't race.
    private int _count;

    public int Count => _entries.Count;

    public bool TryGet(ReadOnlySpan<char> token, [NotNullWhen(true)] out ClaimsPrincipal? principal)
    {
        principal = null;
        if (!_entries.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(token, out var key, out var entry)) return false;
        if (clock.GetUtcNow() >= entry.Until)
        {
            Forget(key, entry);
            return false;
        }
        principal = entry.Principal;
        return true;
    }

    public void Remember(string token, ClaimsPrincipal principal, DateTimeOffset validTo)
    {
        var now = clock.GetUtcNow();
        var until = validTo < now + _maxAge ? validTo : now + _maxAge;
        if (until <= now) return;
        if (Volatile.Read(ref _count) >= capacity) MakeRoom(now);
        var entry = new Entry(principal, until);
        if (_entries.TryAdd(token, entry)) Interlocked.Increment(ref _count);
        else _entries[token] = entry;
    }

    /// <summary>Drops what has expired; if a flood of distinct tokens still fills it, starts over rather than grow.</summary>
    private void MakeRoom(DateTimeOffset now)
    {
        foreach (var (token, entry) in _entries)
        {
            if (now >= entry.Until) Forget(token, entry);
        }
        Volatile.Write(ref _count, _entries.Count);
        if (_count < capacity) return;
        _entries.Clear();
        Volatile.Write(ref _count, 0);
    }

    private void Forget(string token, Entry entry)
    {
        if (_entries.TryRemove(KeyValuePair.Create(token, entry))) Interlocked.Decrement(ref _count);
    }

    private sealed record Entry(ClaimsPrincipal Principal, DateTimeOffset Until);
}
