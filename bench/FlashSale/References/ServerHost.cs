using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace TicketFlash.Bench.FlashSale.References;

/// <summary>Shared Kestrel setup for the two reference servers: loopback only, quiet logs, optional
/// "stop when stdin closes" so a parent (the compare command) can never leave an orphan behind.</summary>
public static class ServerHost
{
    public static WebApplicationBuilder CreateBuilder(int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(System.Net.IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http1);
            k.AddServerHeader = false;
            k.Limits.MaxConcurrentConnections = null;
            k.Limits.MaxRequestBodySize = 64 * 1024;
        });
        return builder;
    }

    public static async Task RunAsync(WebApplication app, bool exitOnStdinEof, string readyLine)
    {
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStarted.Register(() => Console.WriteLine(readyLine));
        if (exitOnStdinEof)
        {
            // Dedicated thread: a blocking read on stdin must not occupy a thread-pool thread.
            var t = new Thread(() =>
            {
                try
                {
                    using var stdin = Console.OpenStandardInput();
                    var buf = new byte[256];
                    while (stdin.Read(buf, 0, buf.Length) > 0) { }
                }
                catch (IOException) { }
                lifetime.StopApplication();
            }) { IsBackground = true, Name = "stdin-eof-watch" };
            t.Start();
        }
        await app.RunAsync();
    }
}
