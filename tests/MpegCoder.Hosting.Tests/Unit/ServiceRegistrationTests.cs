using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MpegCoder.Hosting;
using Xunit;

namespace MpegCoder.Hosting.Tests.Unit;

/// <summary>AddMpegCoder registers the library's own services and leaves the application's logging alone.</summary>
public class ServiceRegistrationTests
{
    /// <summary>Keeps every message logged through it.</summary>
    private sealed class CapturingProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();
        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void Dispose() { }

        private sealed class Logger(CapturingProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Messages.Enqueue($"{category}: {formatter(state, exception)}");
        }
    }

    [Fact]
    public void AddMpegCoder_before_AddLogging_leaves_the_applications_logging_working()
    {
        var capture = new CapturingProvider();
        var services = new ServiceCollection();
        services.AddMpegCoder(_ => { });
        services.AddLogging(b => b.AddProvider(capture));
        using var provider = services.BuildServiceProvider();

        var factory = provider.GetRequiredService<ILoggerFactory>();
        Assert.IsNotType<NullLoggerFactory>(factory);
        factory.CreateLogger("App").LogInformation("the application speaks");
        Assert.Contains("App: the application speaks", capture.Messages);

        // The registry logs through the application's factory too: a camera without a name is refused aloud.
        var registry = provider.GetRequiredService<CameraRegistry>();
        registry.Apply(new MpegCoderOptions { Cameras = [new CameraOptions { Address = "rtsp://127.0.0.1:1/nameless" }] });
        Assert.Contains(capture.Messages, m => m.StartsWith("MpegCoder.Hosting.Cameras:", StringComparison.Ordinal) && m.Contains("without a Name", StringComparison.Ordinal));
    }

    [Fact]
    public void AddMpegCoder_registers_no_logging_and_works_without_any()
    {
        var services = new ServiceCollection();
        services.AddMpegCoder(_ => { });
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(ILoggerFactory));
        using var provider = services.BuildServiceProvider();
        Assert.NotNull(provider.GetRequiredService<ICameraRegistry>());
        Assert.Null(provider.GetService<ILoggerFactory>());
    }
}
