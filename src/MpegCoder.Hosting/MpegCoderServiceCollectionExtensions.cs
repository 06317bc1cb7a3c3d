using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MpegCoder.Hosting;

/// <summary>Registers the hosted cameras.</summary>
public static class MpegCoderServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="MpegCoderOptions"/> to <paramref name="configuration"/> (for example
    /// <c>builder.Configuration.GetSection("MpegCoder")</c>), following its reloads, and registers
    /// <see cref="ICameraRegistry"/> and the hosted service that keeps the cameras open. The registry
    /// turns the library's metrics on (<see cref="MpegCoderMetrics.Enable"/>).
    /// </summary>
    public static IServiceCollection AddMpegCoder(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<MpegCoderOptions>(configuration);
        return services.AddMpegCoderCore();
    }

    /// <summary>
    /// Registers the hosted cameras with options set in code (after any binding: combine both by
    /// calling the other overload too).
    /// </summary>
    public static IServiceCollection AddMpegCoder(this IServiceCollection services, Action<MpegCoderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        return services.AddMpegCoderCore();
    }

    private static IServiceCollection AddMpegCoderCore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        // Logging belongs to the application: the registry uses its ILoggerFactory when there is one and
        // registers none itself, so the order of AddMpegCoder and AddLogging does not matter.
        services.TryAddSingleton(sp => new CameraRegistry(
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance, sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<ICameraRegistry>(sp => sp.GetRequiredService<CameraRegistry>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CameraHostedService>());
        return services;
    }
}
