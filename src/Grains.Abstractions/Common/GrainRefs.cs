namespace TicketFlash.Abstractions.Common;

/// <summary>
/// Typed grain references without Orleans' per-call interface lookup. <c>IGrainFactory.GetGrain&lt;T&gt;(key)</c>
/// resolves T's grain interface by reflection and type-name parsing on every call (Orleans 10.4.2), which was about
/// 5 % of a silo's allocations on the purchase path (bench/README.md). Here the grain type and the interface type are
/// taken once per T from a reference the factory made the usual way, so they are exactly Orleans' own.
/// </summary>
public static class GrainRefs
{
    public static T Ref<T>(this IGrainFactory grains, Guid key) where T : IGrainWithGuidKey =>
        Make(grains, GrainIdKeyExtensions.CreateGuidKey(key), static g => g.GetGrain<T>(Guid.Empty));

    public static T Ref<T>(this IGrainFactory grains, Guid key, string keyExtension) where T : IGrainWithGuidCompoundKey =>
        Make(grains, GrainIdKeyExtensions.CreateGuidKey(key, keyExtension), static g => g.GetGrain<T>(Guid.Empty, "-"));

    public static T Ref<T>(this IGrainFactory grains, long key) where T : IGrainWithIntegerKey =>
        Make(grains, GrainIdKeyExtensions.CreateIntegerKey(key), static g => g.GetGrain<T>(0));

    public static T Ref<T>(this IGrainFactory grains, string key) where T : IGrainWithStringKey =>
        Make(grains, IdSpan.Create(key), static g => g.GetGrain<T>("-"));

    private static T Make<T>(IGrainFactory grains, IdSpan key, Func<IGrainFactory, T> sample) where T : IAddressable
    {
        ArgumentNullException.ThrowIfNull(grains);
        var types = TypesOf<T>.Value ??= Types.Of((GrainReference)(object)sample(grains));
        return (T)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
    }

    private sealed record Types(GrainType Grain, GrainInterfaceType Interface)
    {
        public static Types Of(GrainReference reference) => new(reference.GrainId.Type, reference.InterfaceType);
    }

    // A reference, so a racing first use publishes a whole value (both racers compute the same one).
    private static class TypesOf<T>
    {
        public static Types? Value;
    }
}
