namespace MpegCoder.Hosting;

/// <summary>
/// The bindable form of <see cref="ReconnectPolicy"/>. A hosted camera always reconnects: the defaults
/// are the policy's (0.5 s doubling up to 30 s, 20 % jitter, never give up). The same waits pace the
/// attempts to open a camera that could not be opened at start.
/// </summary>
public sealed class ReconnectOptions
{
    private static readonly ReconnectPolicy Defaults = new();

    /// <summary>Wait before the first attempt. Default 0.5 s.</summary>
    public TimeSpan InitialDelay { get; set; } = Defaults.InitialDelay;

    /// <summary>The longest wait between attempts. Default 30 s.</summary>
    public TimeSpan MaxDelay { get; set; } = Defaults.MaxDelay;

    /// <summary>Each wait is the previous one times this. Default 2.</summary>
    public double Multiplier { get; set; } = Defaults.Multiplier;

    /// <summary>Each wait is shortened by a random part of up to this fraction. Default 0.2.</summary>
    public double Jitter { get; set; } = Defaults.Jitter;

    /// <summary>Attempts in a row before the camera is given up (it then shows as closed); null (the default) = never.</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>The policy these settings describe.</summary>
    public ReconnectPolicy ToPolicy() => new()
    {
        InitialDelay = InitialDelay, MaxDelay = MaxDelay, Multiplier = Multiplier, Jitter = Jitter, MaxAttempts = MaxAttempts,
    };
}
