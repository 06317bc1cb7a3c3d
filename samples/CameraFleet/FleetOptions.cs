using Microsoft.Extensions.Logging;

namespace MpegCoder.Samples.CameraFleet;

/// <summary>One camera of the fleet, as configured (appsettings.json "Fleet:Cameras", the command line or the environment).</summary>
public sealed class CameraSettings
{
    /// <summary>The camera's name: the key of its grain, unique in the fleet.</summary>
    public string Name { get; set; } = "";

    /// <summary>The stream's address, e.g. rtsp://user:password@10.0.0.5/stream1.</summary>
    public string Address { get; set; } = "";

    /// <summary>Output width; 0 = the camera's.</summary>
    public int Width { get; set; }

    /// <summary>Output height; 0 = the camera's.</summary>
    public int Height { get; set; }

    /// <summary>Frames per second kept; 0 = every frame.</summary>
    public int FrameRate { get; set; }

    /// <summary>"Tcp" (the default: survives NAT and loss), "Udp" or "Default".</summary>
    public string Transport { get; set; } = nameof(RtspTransport.Tcp);

    /// <summary>
    /// The options the camera's <see cref="VideoStream"/> is opened with: it reconnects on its own when the
    /// camera drops, and FFmpeg's messages about it go to <paramref name="logger"/>.
    /// </summary>
    public StreamOptions ToStreamOptions(ILogger logger) => new()
    {
        Logger = logger,
        Width = Width,
        Height = Height,
        FrameRate = FrameRate > 0 ? (FrameRate, 1) : null,
        RtspTransport = Enum.Parse<RtspTransport>(Transport, ignoreCase: true),
        OpenTimeout = TimeSpan.FromSeconds(5),
        StallTimeout = TimeSpan.FromSeconds(5),
        Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(0.5), MaxDelay = TimeSpan.FromSeconds(10) },
    };
}

/// <summary>The "Fleet" section of the configuration.</summary>
public sealed class FleetOptions
{
    /// <summary>The cameras. Every silo must have the same list: any silo may host any camera.</summary>
    public List<CameraSettings> Cameras { get; set; } = [];

    /// <summary>How often each silo's keeper calls every camera's grain; bounds the gap after a silo dies. Default 2 s.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Silos the keeper waits for (at most <see cref="ExpectedSilosWait"/>) before it first activates the
    /// cameras, so that a fleet starting up spreads its cameras instead of piling them on the first silo.
    /// Default 1.
    /// </summary>
    public int ExpectedSilos { get; set; } = 1;

    /// <summary>The longest wait for <see cref="ExpectedSilos"/>. Default 30 s.</summary>
    public TimeSpan ExpectedSilosWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The camera named <paramref name="name"/>, or null.</summary>
    public CameraSettings? Find(string name) => Cameras.FirstOrDefault(c => c.Name == name);
}
