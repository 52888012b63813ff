using System.Net;
using System.Net.Sockets;

namespace TicketFlash.Integration.Tests.Infrastructure;

/// <summary>
/// Ports for the processes a test starts. Asking the kernel for port 0 hands out an ephemeral port, which the
/// kernel may hand again to any outgoing connection (to PostgreSQL, to a silo) before our child process binds it:
/// CI once lost a cluster that way. So ports come from below Linux's ephemeral range (32768+), are checked free by
/// binding, and are never handed out twice by this test run.
/// </summary>
public static class LoopbackPorts
{
    private const int First = 20_000;
    private const int Last = 32_000;
    private static readonly HashSet<int> HandedOut = [];
    private static readonly object Gate = new();

    public static int Next()
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var port = Random.Shared.Next(First, Last);
                if (HandedOut.Contains(port) || !IsFree(port)) continue;
                HandedOut.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException($"No free loopback port in {First}–{Last}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
