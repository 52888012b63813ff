using TicketFlash.Bench.Cli;

namespace TicketFlash.Bench.FlashSale.Driver;

public enum TargetKind { TicketFlash, RowLock, Ceiling }

/// <summary>How buyers send their POSTs: <see cref="LeanConnection"/> (default) or the shared HttpClient pool.</summary>
public enum ClientKind { Lean, HttpClient }

/// <summary>Everything a measurement needs. Defaults follow issue 2 §9.</summary>
public sealed record RunOptions
{
    public required Uri Target { get; init; }
    public TargetKind Kind { get; init; } = TargetKind.TicketFlash;
    public int Buyers { get; init; } = 2000;
    public int Seats { get; init; } = 20000;
    public int Sections { get; init; } = 4;
    public int PerCustomerLimit { get; init; } = 10;
    /// <summary>0: general admission (default); N: reserved seating, rows of N seats (buyers still ask for best available).</summary>
    public int SeatsPerRow { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public int Seed { get; init; } = 42;
    /// <summary>Ceiling only: how many POSTs to fire (default: what a sale of this size costs).</summary>
    public int? Requests { get; init; }
    public ClientKind Client { get; init; } = ClientKind.Lean;
    /// <summary>How often a sale prints its running totals: a short interval shows the ramp and the stalls.</summary>
    public TimeSpan Progress { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>One transport per buyer: its own keep-alive connection (lean) or a view of the shared pool.</summary>
    public IBuyerTransport Transport(HttpClient pool) =>
        Client == ClientKind.Lean ? new LeanConnection(RequestTimeout) : new HttpClientTransport(pool);

    /// <summary>About 2 requests per purchase of 2.5 seats on average, plus each buyer's final refusal.</summary>
    public int EstimatedRequests => (int)(0.8 * Seats) + Buyers;

    public static Uri NormalizeUrl(string url)
    {
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new CliException($"not an http(s) URL: '{url}'");
        return uri;
    }

    public static TargetKind ParseKind(string? kind) => kind?.ToLowerInvariant() switch
    {
        null or "ticketflash" => TargetKind.TicketFlash,
        "rowlock" => TargetKind.RowLock,
        "ceiling" => TargetKind.Ceiling,
        _ => throw new CliException($"--kind must be ticketflash, rowlock or ceiling, got '{kind}'"),
    };

    /// <summary>Reads the options shared by run and compare (not --target/--kind).</summary>
    public static RunOptions FromArgs(CliArgs a, Uri target, TargetKind kind)
    {
        var o = new RunOptions
        {
            Target = target,
            Kind = kind,
            Buyers = a.Int("buyers", 2000),
            Seats = a.Int("seats", 20000),
            Sections = a.Int("sections", 4),
            PerCustomerLimit = a.Int("limit", 10),
            SeatsPerRow = a.Int("seats-per-row", 0, min: 0),
            Timeout = a.Seconds("timeout", TimeSpan.FromMinutes(5)),
            RequestTimeout = a.Seconds("request-timeout", TimeSpan.FromSeconds(60)),
            Seed = a.Int("seed", 42, min: 0),
            Progress = a.Seconds("progress", TimeSpan.FromSeconds(5)),
            Client = a.String("client") switch
            {
                null or "lean" => ClientKind.Lean,
                "httpclient" => ClientKind.HttpClient,
                var other => throw new CliException($"--client must be lean or httpclient, got '{other}'"),
            },
        };
        if (o.Sections > 26) throw new CliException("--sections must be <= 26 (sections are named A..Z)");
        if (o.Seats < o.Sections) throw new CliException("--seats must be >= --sections");
        if (o.SeatsPerRow > 0 && (o.Seats % o.Sections != 0 || o.Seats / o.Sections % o.SeatsPerRow != 0))
            throw new CliException("--seats-per-row must divide every section's seats (--seats / --sections)");
        if (o.Progress < TimeSpan.FromSeconds(0.1)) throw new CliException("--progress must be at least 0.1 seconds");
        return o;
    }
}
