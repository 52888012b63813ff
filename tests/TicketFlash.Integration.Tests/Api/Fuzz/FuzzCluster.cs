namespace TicketFlash.Integration.Tests.Api.Fuzz;

/// <summary>1 silo + 1 API of its own: the fuzz rotates keys, cancels events and mints users, which tests that read the
/// whole database (every stored key, every order) must not find.</summary>
public sealed class FuzzCluster() : SharedCluster(silos: 1, apis: 1);

[CollectionDefinition(Name)]
public sealed class FuzzCollection : ICollectionFixture<FuzzCluster>
{
    public const string Name = "fuzz: 1 silo + 1 API";
}
