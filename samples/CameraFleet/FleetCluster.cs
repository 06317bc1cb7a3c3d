using System.Net;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace MpegCoder.Samples.CameraFleet;

/// <summary>
/// What silos and clients of one fleet share: the cluster's identity, membership in Redis, and the
/// membership timings that make a dead silo's cameras move within seconds.
/// </summary>
public static class FleetCluster
{
    /// <summary>The cluster and service id used when none is configured.</summary>
    public const string DefaultClusterId = "camera-fleet";

    /// <summary>
    /// Makes <paramref name="silo"/> a member of the fleet whose membership table is in the Redis at
    /// <paramref name="redis"/> (a StackExchange.Redis connection string, e.g. "127.0.0.1:6379").
    /// </summary>
    public static ISiloBuilder AddToFleet(this ISiloBuilder silo, string redis, string clusterId, IPAddress address, int siloPort, int gatewayPort)
    {
        silo.UseRedisClustering(redis);
        silo.Configure<ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = clusterId; });
        silo.ConfigureEndpoints(address, siloPort, gatewayPort, listenOnAnyHostAddress: false);
        silo.Configure<ClusterMembershipOptions>(ConfigureFastFailover);
        // A call to a camera on a silo that just died fails after this instead of Orleans' 30 s default;
        // the keeper's next call then activates the camera elsewhere.
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        // Cameras are placed by activation count (CameraGrain): every silo publishes its count each
        // second, and a new camera goes to the least loaded of 3 silos picked at random (of all silos, in
        // a fleet of 3), so a dead silo's cameras spread over the survivors by their load.
        silo.Configure<DeploymentLoadPublisherOptions>(o => o.DeploymentLoadPublisherRefreshTime = TimeSpan.FromSeconds(1));
        silo.Configure<ActivationCountBasedPlacementOptions>(o => o.ChooseOutOf = 3);
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
    /// Membership timings for a fleet on one network: every silo probes up to 3 others every second, and
    /// a silo that misses 2 probes in a row gets a death vote; 2 votes (1 when only 2 silos are left)
    /// declare it dead. A killed silo refuses connections, so the survivors declare it dead 2-4 s after
    /// it died. Orleans' defaults (10 s probes, 3 misses) take about 30 s: safer on a congested
    /// network, where a silo paused by a long garbage collection or a busy host must not be declared dead.
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
