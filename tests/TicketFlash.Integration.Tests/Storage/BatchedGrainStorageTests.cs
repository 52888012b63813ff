using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using TicketFlash.Integration.Tests.Infrastructure;
using TicketFlash.Silo.Hosting;
using TicketFlash.Silo.Migrations;
using TicketFlash.Silo.Storage;

namespace TicketFlash.Integration.Tests.Storage;

/// <summary>
/// The batched grain storage against real PostgreSQL, side by side with Orleans' own ADO.NET provider on the same
/// table: rows are interchangeable, ETags are enforced per grain inside shared batches, and batches really are shared.
/// </summary>
public sealed class BatchedGrainStorageTests : IAsyncLifetime
{
    private const string ServiceId = "storage-tests";
    private TestDatabase _db = null!;
    private ServiceProvider _services = null!;
    private BatchedGrainStorage _batched = null!;
    private IGrainStorage _adoNet = null!;

    public sealed class Counter
    {
        public int Count { get; set; }

        public string? Note { get; set; }
    }

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await SchemaMigrator.MigrateAsync(_db.ConnectionString, Binaries.SqlDirectory, NullLogger.Instance);
        var serializer = new TicketFlash.Silo.Hosting.SystemTextJsonGrainStorageSerializer();
        var services = new ServiceCollection().AddLogging().AddSerializer();
        services.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("storage-tests", ServiceId));
        services.AddAdoNetGrainStorage("ado", o => (o.Invariant, o.ConnectionString, o.GrainStorageSerializer) = ("Npgsql", _db.ConnectionString, serializer));
        _services = services.BuildServiceProvider();
        _adoNet = _services.GetRequiredKeyedService<IGrainStorage>("ado");
        var lifecycle = new SiloLifecycleSubject(_services.GetRequiredService<ILogger<SiloLifecycleSubject>>());
        ((ILifecycleParticipant<ISiloLifecycle>)_adoNet).Participate(lifecycle);
        await lifecycle.OnStart();

        _batched = new BatchedGrainStorage("batched",
            new BatchedGrainStorageOptions { ConnectionString = _db.ConnectionString, Serializer = serializer },
            _services.GetRequiredService<IOptions<ClusterOptions>>(), _services.GetRequiredService<IActivatorProvider>());
        await _batched.InitAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _batched.DisposeAsync();
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    public static TheoryData<string> GrainIds() => new() { "guid", "guid+ext", "integer", "string" };

    [Theory]
    [MemberData(nameof(GrainIds))]
    public async Task A_row_written_batched_is_read_by_the_AdoNet_provider_and_back(string keyKind)
    {
        var id = NewGrainId(keyKind);

        var written = new GrainState<Counter> { State = new Counter { Count = 7, Note = "batched" } };
        await _batched.WriteStateAsync("counter", id, written);
        var seenByAdoNet = new GrainState<Counter>();
        await _adoNet.ReadStateAsync("counter", id, seenByAdoNet);

        Assert.True(seenByAdoNet.RecordExists);
        Assert.Equal((7, "batched"), (seenByAdoNet.State!.Count, seenByAdoNet.State.Note));
        Assert.Equal(written.ETag, seenByAdoNet.ETag);

        seenByAdoNet.State = new Counter { Count = 8, Note = "ado" };
        await _adoNet.WriteStateAsync("counter", id, seenByAdoNet);
        var seenBatched = new GrainState<Counter>();
        await _batched.ReadStateAsync("counter", id, seenBatched);

        Assert.Equal((8, "ado"), (seenBatched.State!.Count, seenBatched.State.Note));
        Assert.Equal(seenByAdoNet.ETag, seenBatched.ETag);
        Assert.Equal("2", seenBatched.ETag);
    }

    [Fact]
    public async Task Concurrent_writes_of_many_grains_share_round_trips_and_every_acknowledged_one_is_committed()
    {
        var grains = Enumerable.Range(0, 2_000).Select(i => (Id: NewGrainId("guid"), State: new GrainState<Counter> { State = new Counter { Count = i } })).ToList();
        var before = _batched.Counts;

        await Task.WhenAll(grains.Select(g => _batched.WriteStateAsync("counter", g.Id, g.State)));

        var (batches, commands) = (_batched.Counts.Batches - before.Batches, _batched.Counts.Commands - before.Commands);
        Assert.Equal(2_000, commands);
        Assert.True(batches <= commands / 5, $"{commands} writes took {batches} round trips: they were not batched.");
        Assert.All(grains, g => Assert.Equal("1", g.State.ETag));
        Assert.Equal(2_000L, await _db.ScalarAsync<long>($"SELECT count(*) FROM orleans_storage WHERE service_id = '{ServiceId}' AND grain_type_string = 'counter'"));
        Assert.Equal(Enumerable.Range(0, 2_000).Sum(i => (long)i),
            await _db.ScalarAsync<long>("SELECT sum((convert_from(payload_binary, 'UTF8')::jsonb ->> 'count')::bigint)::bigint FROM orleans_storage"));
    }

    [Fact]
    public async Task A_stale_write_in_a_shared_batch_fails_alone_and_changes_nothing()
    {
        var contested = NewGrainId("string");
        var current = new GrainState<Counter> { State = new Counter { Count = 1 } };
        await _batched.WriteStateAsync("counter", contested, current);

        var others = Enumerable.Range(0, 200).Select(_ => (Id: NewGrainId("guid"), State: new GrainState<Counter> { State = new Counter { Count = 5 } })).ToList();
        var staleFirstWrite = new GrainState<Counter> { State = new Counter { Count = 666 } };
        var staleVersion = new GrainState<Counter> { State = new Counter { Count = 667 }, ETag = "7" };
        var writes = others.Select(o => _batched.WriteStateAsync("counter", o.Id, o.State)).ToList();
        var stale1 = _batched.WriteStateAsync("counter", contested, staleFirstWrite);
        var stale2 = _batched.WriteStateAsync("counter", contested, staleVersion);

        await Assert.ThrowsAsync<InconsistentStateException>(() => stale1);
        await Assert.ThrowsAsync<InconsistentStateException>(() => stale2);
        await Task.WhenAll(writes);
        Assert.All(others, o => Assert.Equal("1", o.State.ETag));
        var stored = new GrainState<Counter>();
        await _adoNet.ReadStateAsync("counter", contested, stored);
        Assert.Equal((1, "1"), (stored.State!.Count, stored.ETag));
    }

    [Fact]
    public async Task A_statement_that_errors_fails_alone_and_the_rest_of_its_batch_still_commits_together()
    {
        var poisoned = NewGrainId("string");
        await _batched.WriteStateAsync("counter", poisoned, new GrainState<Counter> { State = new Counter { Count = 1 } });
        // The next write of this row would bump the version past int.MaxValue: PostgreSQL refuses that one statement.
        var key = poisoned.Key.ToString();
        await _db.ScalarAsync<int>($"UPDATE orleans_storage SET version = 2147483647 WHERE grain_id_extension_string = '{key}' RETURNING version");
        var others = Enumerable.Range(0, 300).Select(i => (Id: NewGrainId("guid"), State: new GrainState<Counter> { State = new Counter { Count = i } })).ToList();
        var before = _batched.Counts;

        var writes = others.Take(150).Select(o => _batched.WriteStateAsync("counter", o.Id, o.State)).ToList();
        var failing = _batched.WriteStateAsync("counter", poisoned, new GrainState<Counter> { State = new Counter { Count = 2 }, ETag = "2147483647" });
        writes.AddRange(others.Skip(150).Select(o => _batched.WriteStateAsync("counter", o.Id, o.State)));

        var error = await Assert.ThrowsAsync<PostgresException>(() => failing);
        Assert.Equal(PostgresErrorCodes.NumericValueOutOfRange, error.SqlState);
        await Task.WhenAll(writes);
        Assert.All(others, o => Assert.Equal("1", o.State.ETag));
        var batches = _batched.Counts.Batches - before.Batches;
        Assert.True(batches <= 301 / 5, $"301 commands took {batches} round trips: the failure was replayed one by one.");
        var stored = new GrainState<Counter>();
        await _batched.ReadStateAsync("counter", poisoned, stored);
        Assert.Equal((1, "2147483647"), (stored.State!.Count, stored.ETag));
    }

    [Fact]
    public async Task Concurrent_reads_in_shared_batches_each_get_their_own_row()
    {
        var grains = Enumerable.Range(0, 300).Select(i => (Id: NewGrainId(i % 2 == 0 ? "guid" : "string"), Count: i, Writes: 1 + i % 3)).ToList();
        foreach (var (id, count, writes) in grains)
        {
            var state = new GrainState<Counter>();
            for (var w = 0; w < writes; w++)
            {
                state.State = new Counter { Count = count };
                await _batched.WriteStateAsync("counter", id, state);
            }
        }
        var before = _batched.Counts;

        var reads = await Task.WhenAll(grains.Select(async g =>
        {
            var state = new GrainState<Counter>();
            await _batched.ReadStateAsync("counter", g.Id, state);
            return state;
        }));

        Assert.True(_batched.Counts.Batches - before.Batches <= 300 / 5, "the reads were not batched");
        for (var i = 0; i < grains.Count; i++)
        {
            Assert.Equal(grains[i].Count, reads[i].State!.Count);
            Assert.Equal(grains[i].Writes.ToString(System.Globalization.CultureInfo.InvariantCulture), reads[i].ETag);
            Assert.True(reads[i].RecordExists);
        }
    }

    [Fact]
    public async Task Racing_first_writes_of_one_grain_let_exactly_one_win()
    {
        var id = NewGrainId("guid+ext");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            try
            {
                await _batched.WriteStateAsync("counter", id, new GrainState<Counter> { State = new Counter { Count = i } });
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Single(outcomes, won => won);
        var stored = new GrainState<Counter>();
        await _batched.ReadStateAsync("counter", id, stored);
        Assert.Equal(Array.IndexOf(outcomes, true), stored.State!.Count);
    }

    [Fact]
    public async Task Clear_keeps_the_row_without_payload_and_bumps_the_version()
    {
        var id = NewGrainId("integer");
        var state = new GrainState<Counter> { State = new Counter { Count = 3 } };
        await _batched.WriteStateAsync("counter", id, state);

        await _batched.ClearStateAsync("counter", id, state);

        Assert.Equal(("2", false, 0), (state.ETag, state.RecordExists, state.State.Count));
        var seenByAdoNet = new GrainState<Counter>();
        await _adoNet.ReadStateAsync("counter", id, seenByAdoNet);
        Assert.Equal(("2", false), (seenByAdoNet.ETag, seenByAdoNet.RecordExists));
    }

    private static GrainId NewGrainId(string kind) => kind switch
    {
        "guid" => GrainId.Create(GrainType.Create("counter"), GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid())),
        "guid+ext" => GrainId.Create(GrainType.Create("counter"), GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid(), "section-A")),
        "integer" => GrainId.Create(GrainType.Create("counter"), GrainIdKeyExtensions.CreateIntegerKey(Random.Shared.NextInt64())),
        _ => GrainId.Create("counter", $"evt-{Guid.NewGuid():N}/A"),
    };
}
