using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MpegCoder.Samples.CameraFleet;

/// <summary>The "status" command: connects to the fleet as an Orleans client and prints one line per camera.</summary>
public static class FleetStatus
{
    /// <summary>Connects a client to the fleet in <paramref name="redis"/>; dispose the host to disconnect.</summary>
    public static async Task<IHost> ConnectAsync(string redis, string clusterId = FleetCluster.DefaultClusterId, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client.AddToFleet(redis, clusterId));
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Fills <paramref name="fleet"/> from the "Fleet" section, then from the "Fleet" section of a
    /// --cameras FILE.json (the same shape as appsettings.json), whose settings win and whose camera list
    /// replaces the configured one instead of merging into it entry by entry.
    /// </summary>
    public static void BindFleet(IConfiguration configuration, FleetOptions fleet)
    {
        configuration.GetSection("Fleet").Bind(fleet);
        if (configuration["cameras"] is not { } file) return;
        var fromFile = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(file), optional: false).Build().GetSection("Fleet");
        fleet.Cameras = [];
        fromFile.Bind(fleet);
    }

    public static async Task<int> PrintAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var fleet = new FleetOptions();
        BindFleet(builder.Configuration, fleet);
        using var host = await ConnectAsync(builder.Configuration["redis"] ?? "127.0.0.1:6379",
            builder.Configuration["cluster-id"] ?? FleetCluster.DefaultClusterId);
        var grains = host.Services.GetRequiredService<IClusterClient>();
        foreach (var camera in fleet.Cameras)
        {
            try
            {
                var s = await grains.GetGrain<ICameraGrain>(camera.Name).GetStatusAsync();
                string age = s.FrameAge is { } a ? $"{a.TotalMilliseconds:0} ms" : "-";
                Console.WriteLine($"{s.Camera,-16} {s.Silo,-22} {s.State,-12} frame age {age,8}  frames {s.FramesStored}  reconnects {s.Reconnects}");
            }
            catch (Exception e)
            {
                Console.WriteLine($"{camera.Name,-16} unreachable: {e.Message}");
            }
        }
        await host.StopAsync();
        return 0;
    }
}
