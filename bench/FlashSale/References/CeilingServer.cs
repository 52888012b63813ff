namespace TicketFlash.Bench.FlashSale.References;

/// <summary>Reference (a): the ceiling. Bare Kestrel, every GET and POST on any path answers 200 with
/// an empty body (a POST body is read and discarded). Nothing here can be faster than this on the
/// same machine, so it bounds what any HTTP design can reach.</summary>
public static class CeilingServer
{
    public static async Task RunAsync(int port, bool exitOnStdinEof)
    {
        var builder = ServerHost.CreateBuilder(port);
        var app = builder.Build();
        app.Run(async ctx =>
        {
            if (HttpMethods.IsPost(ctx.Request.Method))
            {
                var reader = ctx.Request.BodyReader;
                while (true)
                {
                    var r = await reader.ReadAsync(ctx.RequestAborted);
                    reader.AdvanceTo(r.Buffer.End);
                    if (r.IsCompleted) break;
                }
            }
            ctx.Response.StatusCode = StatusCodes.Status200OK;
            ctx.Response.ContentLength = 0;
        });
        await ServerHost.RunAsync(app, exitOnStdinEof, $"ceiling listening on http://127.0.0.1:{port}");
    }
}
