using System.Net;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using StackExchange.Redis;

namespace MpegCoder.Samples.CameraFleet;

/// <summary>
/// What silos and clients of one fleet share: the cluster's identity, membership in Redis, and the
/// membership timings that make a dead silo's cameras move within seconds.
/// </summary>
public static class FleetCluster
{
    /// <summary>The cluster and service id used when none is configured.</summary>
    public const string DefaultClusterId = "camera-fleet";

    /// <summary>The grain directory of the cameras (see <see cref="CameraGrain"/>): kept in Redis.</summary>
    public const string CameraDirectory = "cameras";

    /// <summary>
    /// Makes <paramref name="silo"/> a member of the fleet whose membership table is in the Redis at
    /// <paramref name="redis"/> (a StackExchange.Redis connection string, e.g. "127.0.0.1:6379").
    /// </summary>
    public static ISiloBuilder AddToFleet(this ISiloBuilder silo, string redis, string clusterId, IPAddress address, int siloPort, int gatewayPort)
    {
        silo.UseRedisClustering(redis);
        // Where each camera is active is also kept in Redis, not in Orleans' default directory, which is
        // spread over the silos' memory: a silo's death loses its part of that directory, and a camera
        // listed there but alive on a survivor could be activated a second time before the survivors
        // notice. The Redis directory survives any silo, and registering an activation there is atomic.
        silo.AddRedisGrainDirectory(CameraDirectory, o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
        silo.Configure<ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = clusterId; });
        silo.AddPlacementDirector<CameraPlacement, CameraPlacementDirector>();
        silo.ConfigureEndpoints(address, siloPort, gatewayPort, listenOnAnyHostAddress: false);
        silo.Configure<ClusterMembershipOptions>(ConfigureFastFailover);
        // A call to a camera on a silo that just died fails after this instead of Orleans' 30 s default;
        // the keeper's next call then activates the camera elsewhere.
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        return silo;
    }

    /// <summary>Makes <paramref name="client"/> a client of the fleet (the gateways are read from the Redis table).</summary>
    public static IClientBuilder AddToFleet(this IClientBuilder client, string redis, string clusterId)
    {
        client.UseRedisClustering(redis);
        client.Configure<ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = clusterId; });
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        // Notice new and dead gateways within seconds rather than Orleans' one minute.
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2));
        return client;
    }

    /// <summary>
    /// Membership timings for a fleet on one network: every silo probes up to 3 others about every second,
    /// and a silo that misses 2 probes in a row gets a death vote; 2 votes declare it dead. A killed silo
    /// refuses connections, so the survivors declare it dead a few seconds after it died. Orleans'
    /// defaults (5 s probes, 3 misses) take several times longer: safer on a congested network, where a
    /// silo paused by a long garbage collection or a busy host must not be declared dead.
    /// </summary>
    public static void ConfigureFastFailover(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.NumMissedProbesLimit = 2;
        options.NumProbedSilos = 3;
        options.NumVotesForDeathDeclaration = 2;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(5);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
        options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
    }
}
