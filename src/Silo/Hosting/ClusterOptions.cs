using Npgsql;

namespace TicketFlash.Silo.Hosting;

/// <summary>Settings shared by silos and API nodes, read from configuration (appsettings, environment TF_…, command line).</summary>
public sealed record ClusterSettings(bool UsePostgres, string? ConnectionString, string ClusterId, string ServiceId)
{
    public const string Invariant = "Npgsql";

    public static ClusterSettings From(IConfiguration configuration, int defaultMaxPool)
    {
        var mode = configuration["Storage:Mode"] ?? "Postgres";
        var usePostgres = !string.Equals(mode, "Memory", StringComparison.OrdinalIgnoreCase);
        string? connection = null;
        if (usePostgres)
        {
            var raw = configuration.GetConnectionString("Orleans")
                ?? throw new InvalidOperationException("ConnectionStrings:Orleans is required unless Storage:Mode=Memory.");
            // Pools are sized per process so 2 silos + 2 API nodes stay well under PostgreSQL's default 100 connections.
            var builder = new NpgsqlConnectionStringBuilder(raw);
            if (!raw.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase) && !raw.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
                builder.MaxPoolSize = configuration.GetValue("Storage:MaxPoolSize", defaultMaxPool);
            connection = builder.ConnectionString;
        }
        return new ClusterSettings(usePostgres, connection, configuration["Orleans:ClusterId"] ?? "ticketflash", configuration["Orleans:ServiceId"] ?? "ticketflash");
    }
}
