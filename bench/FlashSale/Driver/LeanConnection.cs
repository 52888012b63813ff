using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace TicketFlash.Bench.FlashSale.Driver;

/// <summary>How a buyer (or a ceiling client) sends its requests: one keep-alive connection per buyer.</summary>
public interface IBuyerTransport : IDisposable
{
    Task<ApiResponse> SendAsync(HttpMethod method, Uri url, string? bearer, string? idempotencyKey, byte[]? json, CancellationToken ct);
}

/// <summary>The shared <see cref="HttpClient"/> pool (<c>--client httpclient</c>): what the driver used before.</summary>
public sealed class HttpClientTransport(HttpClient http) : IBuyerTransport
{
    public Task<ApiResponse> SendAsync(HttpMethod method, Uri url, string? bearer, string? idempotencyKey, byte[]? json, CancellationToken ct) =>
        BenchHttp.SendAsync(http, method, url, bearer, idempotencyKey, json, ct);

    public void Dispose() { } // the pool belongs to the run
}

/// <summary>
/// A minimal HTTP/1.1 client over one keep-alive loopback connection (<c>--client lean</c>, the default). The driver
/// shares 2 cores with what it measures; <see cref="HttpClient"/>'s per-request machinery (message objects, header
/// collections, pool bookkeeping) costs CPU the servers then lack. This one writes a request with one send and reads
/// the answer into a reused buffer: Content-Length or chunked bodies, nothing else (no redirects, no compression, no
/// TLS). A failure closes the connection; the next request opens a fresh one. A request that fails on a reused
/// connection before any answer arrived is sent once more on a fresh one, as HttpClient does.
/// </summary>
public sealed class LeanConnection(TimeSpan requestTimeout) : IBuyerTransport
{
    private Socket? _socket;
    private byte[] _out = new byte[1024];
    private byte[] _in = new byte[8192];

    public async Task<ApiResponse> SendAsync(HttpMethod method, Uri url, string? bearer, string? idempotencyKey, byte[]? json, CancellationToken ct)
    {
        var length = Format(method, url, bearer, idempotencyKey, json);
        var start = Stopwatch.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            var reused = _socket is not null;
            var answered = false;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(requestTimeout);
            var token = deadline.Token;
            try
            {
                _socket ??= await ConnectAsync(url, token);
                await SendAllAsync(_socket, _out.AsMemory(0, length), token);
                var (status, body, close) = await ReceiveAsync(_socket, () => answered = true, token);
                if (close) Close();
                var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                var parsed = ParseJson(body);
                return new ApiResponse(status, parsed, BenchHttp.ProblemType(parsed), micros, null);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or InvalidDataException)
            {
                Close();
                ct.ThrowIfCancellationRequested();
                if (reused && !answered && attempt == 0 && e is not OperationCanceledException) continue;
                var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                var name = e is OperationCanceledException ? "timeout" : e.GetType().Name;
                return new ApiResponse(0, null, null, micros, name);
            }
        }
    }

    public void Dispose() => Close();

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
    }

    private static async Task<Socket> ConnectAsync(Uri url, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            var address = IPAddress.TryParse(url.Host, out var ip) ? ip : (await Dns.GetHostAddressesAsync(url.Host, AddressFamily.InterNetwork, ct))[0];
            await socket.ConnectAsync(new IPEndPoint(address, url.Port), ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            var n = await socket.SendAsync(data, SocketFlags.None, ct);
            data = data[n..];
        }
    }

    /// <summary>Writes the whole request (head and body) into <see cref="_out"/>; returns its length.</summary>
    private int Format(HttpMethod method, Uri url, string? bearer, string? idempotencyKey, byte[]? json)
    {
        var head = new StringBuilder(256)
            .Append(method.Method).Append(' ').Append(url.PathAndQuery).Append(" HTTP/1.1\r\nHost: ").Append(url.Authority).Append("\r\n");
        if (bearer is not null) head.Append("Authorization: Bearer ").Append(bearer).Append("\r\n");
        if (idempotencyKey is not null) head.Append("Idempotency-Key: ").Append(idempotencyKey).Append("\r\n");
        if (json is not null) head.Append("Content-Type: application/json\r\n");
        var text = head.Append("Content-Length: ").Append(json?.Length ?? 0).Append("\r\n\r\n").ToString();
        var needed = Encoding.ASCII.GetByteCount(text) + (json?.Length ?? 0);
        if (_out.Length < needed) _out = new byte[Math.Max(needed, _out.Length * 2)];
        var n = Encoding.ASCII.GetBytes(text, _out);
        json?.CopyTo(_out, n);
        return n + (json?.Length ?? 0);
    }

    /// <summary>Reads one answer: status, body (de-chunked) and whether the server closes the connection.</summary>
    private async Task<(int Status, ReadOnlyMemory<byte> Body, bool Close)> ReceiveAsync(Socket socket, Action answered, CancellationToken ct)
    {
        var filled = 0;
        int headEnd;
        while ((headEnd = _in.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            filled = await FillAsync(socket, filled, ct);
            answered();
        }
        var (status, contentLength, chunked, close) = ParseHead(_in.AsSpan(0, headEnd));
        var bodyStart = headEnd + 4;
        if (!chunked)
        {
            var length = contentLength ?? 0;
            while (filled < bodyStart + length) filled = await FillAsync(socket, filled, ct);
            if (filled != bodyStart + length) throw new InvalidDataException("bytes after the answer (no pipelining here)");
            return (status, _in.AsMemory(bodyStart, length), close);
        }
        // Chunked: decode in place, each chunk moved down to the end of the body so far.
        var bodyEnd = bodyStart;
        var at = bodyStart;
        while (true)
        {
            int lineEnd;
            while ((lineEnd = _in.AsSpan(at, filled - at).IndexOf("\r\n"u8)) < 0) filled = await FillAsync(socket, filled, ct);
            var sizeText = _in.AsSpan(at, lineEnd);
            var semi = sizeText.IndexOf((byte)';');
            if (semi >= 0) sizeText = sizeText[..semi];
            if (!Utf8Parser.TryParse(sizeText, out int size, out _, 'x') || size < 0) throw new InvalidDataException("bad chunk size");
            var dataStart = at + lineEnd + 2;
            while (filled < dataStart + size + 2) filled = await FillAsync(socket, filled, ct);
            if (size == 0)
            {
                if (filled != dataStart + 2) throw new InvalidDataException("trailers or bytes after the answer");
                return (status, _in.AsMemory(bodyStart, bodyEnd - bodyStart), close);
            }
            Buffer.BlockCopy(_in, dataStart, _in, bodyEnd, size);
            bodyEnd += size;
            at = dataStart + size + 2;
        }
    }

    private async ValueTask<int> FillAsync(Socket socket, int filled, CancellationToken ct)
    {
        if (filled == _in.Length) Array.Resize(ref _in, _in.Length * 2);
        var n = await socket.ReceiveAsync(_in.AsMemory(filled), SocketFlags.None, ct);
        if (n == 0) throw new IOException("the server closed the connection");
        return filled + n;
    }

    private static (int Status, int? ContentLength, bool Chunked, bool Close) ParseHead(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var statusLine = lineEnd < 0 ? head : head[..lineEnd];
        // "HTTP/1.1 201 Created"
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1."u8) || !Utf8Parser.TryParse(statusLine.Slice(9, 3), out int status, out _))
            throw new InvalidDataException("not an HTTP/1.x status line");
        int? contentLength = null;
        bool chunked = false, close = statusLine[7] == (byte)'0'; // HTTP/1.0 closes unless told otherwise
        var rest = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0) continue;
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8) && Utf8Parser.TryParse(value, out int n, out _)) contentLength = n;
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8)) chunked = value.IndexOf("chunked"u8) >= 0;
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8)) close = Ascii.EqualsIgnoreCase(value, "close"u8);
        }
        return (status, contentLength, chunked, close);
    }

    private static JsonElement? ParseJson(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
