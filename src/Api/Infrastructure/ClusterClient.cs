using Npgsql;
using Orleans.Configuration;

namespace TicketFlash.Api.Infrastructure;

public static class ClusterClient
{
    /// <summary>An Orleans client: ADO.NET clustering on PostgreSQL (finds every silo's gateway), or one local silo.</summary>
    public static WebApplicationBuilder AddTicketFlashClusterClient(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = config["Orleans:ClusterId"] ?? "ticketflash";
                o.ServiceId = config["Orleans:ServiceId"] ?? "ticketflash";
            });
            if (string.Equals(config["Storage:Mode"], "Memory", StringComparison.OrdinalIgnoreCase))
            {
                client.UseLocalhostClustering(config.GetValue("Orleans:GatewayPort", 30000));
            }
            else
            {
                var raw = config.GetConnectionString("Orleans")
                    ?? throw new InvalidOperationException("ConnectionStrings:Orleans is required unless Storage:Mode=Memory.");
                // The client reads only the gateway list: a small pool.
                var connection = new NpgsqlConnectionStringBuilder(raw) { MaxPoolSize = config.GetValue("Storage:MaxPoolSize", 4) };
                client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", connection.ConnectionString));
            }
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(10));
            // A request stuck on a silo that just died fails after this and the caller retries (idempotently).
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(config.GetValue("Orleans:ResponseTimeoutSeconds", 15.0)));
        });
        return builder;
    }
}
