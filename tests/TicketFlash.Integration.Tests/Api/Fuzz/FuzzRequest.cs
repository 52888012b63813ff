using System.Text;

namespace TicketFlash.Integration.Tests.Api.Fuzz;

/// <summary>A fuzzed request, kept as text so a failure can say exactly what was sent.</summary>
public sealed record FuzzRequest(FuzzOperation Operation, string Method, string Url, string? Authorization, Dictionary<string, string> Headers,
    byte[]? Body, string? ContentType)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Url);
        if (Authorization is not null) message.Headers.TryAddWithoutValidation("Authorization", Authorization);
        foreach (var (name, value) in Headers) message.Headers.TryAddWithoutValidation(name, value);
        if (Body is not null)
        {
            if (Body.Length > 64 * 1024) message.Headers.ConnectionClose = true; // refused unread: the server closes this connection
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        return message;
    }

    public string Describe()
    {
        var body = Body is null ? "(no body)" : Encoding.UTF8.GetString(Body);
        if (body.Length > 400) body = body[..400] + $"… ({Body!.Length} bytes)";
        var auth = Authorization is null ? "none" : Authorization.Length > 60 ? Authorization[..60] + "…" : Authorization;
        return $"{Method} {(Url.Length > 300 ? Url[..300] + "…" : Url)} [{Operation}] auth={auth} headers={string.Join(",", Headers.Select(h => $"{h.Key}={h.Value[..Math.Min(40, h.Value.Length)]}"))} content-type={ContentType} body={body}";
    }
}
