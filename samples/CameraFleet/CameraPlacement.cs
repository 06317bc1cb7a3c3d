using Microsoft.Extensions.Options;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace MpegCoder.Samples.CameraFleet;

/// <summary>
/// Deals the cameras out over the silos: camera i (in configuration order) is activated on silo i mod N of
/// the N live silos ordered by address, whoever calls it first. The spread is even at start, and when a
/// silo dies its cameras (as they are activated again) are dealt out over the survivors the same way;
/// the survivors' own cameras stay where they are.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class CameraPlacement : PlacementStrategy;

/// <summary>Marks a grain class for <see cref="CameraPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class CameraPlacementAttribute() : PlacementAttribute(new CameraPlacement());

/// <summary>Picks the silo of a camera's activation (see <see cref="CameraPlacement"/>).</summary>
public sealed class CameraPlacementDirector(IOptions<FleetOptions> fleet) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        Array.Sort(silos, (a, b) => string.CompareOrdinal(a.ToParsableString(), b.ToParsableString()));
        string name = target.GrainIdentity.Key.ToString()!;
        int index = fleet.Value.Cameras.FindIndex(c => c.Name == name);
        // A name that is not configured fails in the activation itself, with its own message.
        if (index < 0) index = (int)(target.GrainIdentity.GetUniformHashCode() & int.MaxValue);
        return Task.FromResult(silos[index % silos.Length]);
    }
}
