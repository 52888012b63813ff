using System.Diagnostics;
using System.Text;

namespace TicketFlash.Tickets.Tests.Infrastructure;

/// <summary>
/// Decodes an image with the real zbarimg (Debian package zbar-tools; deploy/test.sh installs it). A missing decoder
/// fails the test instead of skipping it: the QR round trip is the point of those tests.
/// </summary>
public static class Zbar
{
    public static async Task<string> Decode(byte[] image, string extension = ".png")
    {
        var path = Path.Combine(Path.GetTempPath(), $"tf-qr-{Guid.NewGuid():N}{extension}");
        await File.WriteAllBytesAsync(path, image);
        try
        {
            var start = new ProcessStartInfo("zbarimg")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
            };
            // --raw: the symbol's text alone; -q: no statistics; only QR, so no other symbology guesses at it.
            foreach (var arg in new[] { "--raw", "-q", "-Sdisable", "-Sqrcode.enable", path }) start.ArgumentList.Add(arg);
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException("zbarimg did not start.");
            }
            catch (System.ComponentModel.Win32Exception error)
            {
                throw new InvalidOperationException("zbarimg is not installed: apt-get install -y zbar-tools (deploy/test.sh does).", error);
            }
            using (process)
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var errors = process.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await process.WaitForExitAsync(timeout.Token);
                var text = await output;
                Assert.True(process.ExitCode == 0, $"zbarimg exited {process.ExitCode}: {await errors}");
                // zbarimg ends each decoded symbol with a newline; a code never ends in whitespace of its own.
                return text.EndsWith('\n') ? text[..^1] : text;
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
