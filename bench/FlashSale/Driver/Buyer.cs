using System.Globalization;
using System.Text.Json;

namespace TicketFlash.Bench.FlashSale.Driver;

/// <summary>
/// One fan. Loops hold → pay until the event is sold out or the fan's own limit is used up:
/// quantity 1–4 (clamped to what the limit still allows), a random section half of the time.
/// seats-unavailable: drop the section, then lower the quantity, then (1 seat, no section, seats held
/// by others but not yet sold) poll. Transport errors, 429 and 5xx retry the SAME request
/// (same Idempotency-Key) up to 5 times; every answer is counted.
/// </summary>
public sealed class Buyer(int index, SaleContext sale, RunOptions o, IBuyerTransport http, Recorder rec)
{
    private const int MaxAttempts = 5;

    public List<long> HoldMicros { get; } = new(8);
    public List<long> PayMicros { get; } = new(8);
    /// <summary>Seat labels of this buyer's confirmed orders (as the hold answered them).</summary>
    public List<string> Seats { get; } = new(16);
    public int Bought { get; private set; }
    /// <summary>Seats held whose payment failed: they still count against the limit until they expire.</summary>
    public int Unpaid { get; private set; }
    public string Finish { get; private set; } = "running";

    public async Task RunAsync(CancellationToken ct)
    {
        var rnd = new Random(unchecked(o.Seed * 1_000_003 + index));
        var token = sale.FanTokens[index];
        var ordersUrl = BenchHttp.Url(o.Target, "api/orders");
        try
        {
            while (true)
            {
                var allowance = o.PerCustomerLimit - Bought - Unpaid;
                if (allowance <= 0)
                {
                    Finish = "reached its limit";
                    return;
                }
                var q = Math.Min(rnd.Next(1, 5), allowance);
                string? section = rnd.Next(2) == 0 ? sale.SectionIds[rnd.Next(sale.SectionIds.Count)] : null;
                ApiResponse hold;
                while (true)
                {
                    var body = DriverJson.Bytes(new OrderBody(sale.EventId, q, section), DriverJson.Default.OrderBody);
                    hold = await PostAsync("hold", ordersUrl, token, Guid.NewGuid().ToString(), body, HoldMicros, rnd, ct);
                    if (hold.ProblemType != "seats-unavailable") break;
                    if (section is not null) section = null;
                    else if (q > 1) q--;
                    else await Task.Delay(TimeSpan.FromMilliseconds(20 + rnd.Next(30)), ct);
                }
                if (hold.ProblemType == "sold-out")
                {
                    Finish = "saw sold-out";
                    return;
                }
                if (hold.ProblemType == "limit-exceeded")
                {
                    Finish = "got limit-exceeded";
                    return;
                }
                if (!hold.IsSuccess)
                {
                    if (hold.IsRetryable) continue; // retries used up: start a fresh order
                    Finish = "stopped on hold " + hold.Label;
                    return;
                }
                if (hold.String("orderId") is not { Length: > 0 } orderId)
                {
                    rec.Note("error: hold 2xx without orderId");
                    Finish = "stopped on a hold without orderId";
                    return;
                }

                var pay = await PostAsync("pay", BenchHttp.Url(o.Target, $"api/orders/{Uri.EscapeDataString(orderId)}/pay"), token, null, null, PayMicros, rnd, ct);
                if (pay.IsSuccess && string.Equals(pay.String("status"), "Confirmed", StringComparison.OrdinalIgnoreCase))
                {
                    var n = pay.Property("tickets") is { ValueKind: JsonValueKind.Array } t ? t.GetArrayLength() : q;
                    if (n != q) rec.Note($"warning: pay returned {n} tickets for a hold of {q}");
                    Bought += n;
                    rec.Confirmed(n);
                    Seats.AddRange(SeatLabels(hold));
                }
                else
                {
                    if (pay.IsSuccess) rec.Note("error: pay 2xx without status Confirmed");
                    Unpaid += q;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Finish = "timed out";
        }
    }

    private async Task<ApiResponse> PostAsync(string step, Uri url, string token, string? key, byte[]? body, List<long> okMicros, Random rnd, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var r = await http.SendAsync(HttpMethod.Post, url, token, key, body, ct);
            rec.Count(step, r);
            if (r.IsSuccess) okMicros.Add(r.Micros);
            if (!r.IsRetryable || attempt == MaxAttempts) return r;
            var wait = r.Status == 429 ? 250 * attempt : 50 * attempt + rnd.Next(50);
            await Task.Delay(TimeSpan.FromMilliseconds(wait), ct);
        }
    }

    private static IEnumerable<string> SeatLabels(ApiResponse hold)
    {
        if (hold.Property("seats") is not { ValueKind: JsonValueKind.Array } seats) yield break;
        foreach (var s in seats.EnumerateArray())
        {
            var label = s.ValueKind switch
            {
                JsonValueKind.String => s.GetString(),
                JsonValueKind.Number => s.GetRawText(),
                JsonValueKind.Object when s.TryGetProperty("seatId", out var v) && v.ValueKind == JsonValueKind.String => v.GetString(),
                JsonValueKind.Object when s.TryGetProperty("id", out var v) && v.ValueKind == JsonValueKind.String => v.GetString(),
                _ => null,
            };
            if (!string.IsNullOrEmpty(label)) yield return label.ToUpper(CultureInfo.InvariantCulture);
        }
    }
}
