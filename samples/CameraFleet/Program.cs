using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MpegCoder.Samples.CameraFleet;

// A silo of the camera fleet. Every silo of one fleet names the same Redis and the same cameras:
//   dotnet CameraFleet.dll --redis 127.0.0.1:6379 --silo-port 11111 --gateway-port 30000
// The cameras come from appsettings.json ("Fleet": { "Cameras": [ { "Name", "Address", ... } ] }), the
// environment (Fleet__Cameras__0__Name=...) or the command line (--Fleet:Cameras:0:Name cam01
// --Fleet:Cameras:0:Address rtsp://...); --cameras FILE.json (the same shape) replaces that list, and its
// other Fleet settings win.
// "dotnet CameraFleet.dll status --redis ..." prints where every camera runs, as a client.
if (args.Length > 0 && args[0] == "status")
    return await FleetStatus.PrintAsync(args[1..]);

var builder = Host.CreateApplicationBuilder(args);
var settings = builder.Configuration;
string redis = settings["redis"] ?? "127.0.0.1:6379";
string clusterId = settings["cluster-id"] ?? FleetCluster.DefaultClusterId;
var address = IPAddress.Parse(settings["host"] ?? "127.0.0.1");
int siloPort = int.Parse(settings["silo-port"] ?? "11111", CultureInfo.InvariantCulture);
int gatewayPort = int.Parse(settings["gateway-port"] ?? "30000", CultureInfo.InvariantCulture);
string siloName = settings["name"] ?? $"{address}:{siloPort}";

builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("MpegCoder", LogLevel.Information);
builder.Services.Configure<FleetOptions>(o => FleetStatus.BindFleet(settings, o));
builder.Services.AddSingleton(new SiloIdentity(siloName));
builder.UseOrleans(silo => silo.AddToFleet(redis, clusterId, address, siloPort, gatewayPort));
builder.Services.AddHostedService<FleetKeeper>();

using var host = builder.Build();
host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
    Console.WriteLine($"SILO-READY {siloName} (silo port {siloPort}, gateway port {gatewayPort}, cluster {clusterId} in Redis {redis})"));
await host.RunAsync();
return 0;
