using MpegCoder.Recording;
using MpegCoder.Streaming;
namespace MpegCoder;

/// <summary>
/// What the writer does when a stream ends (the server closed it, an error, or a stall past
/// <see cref="StreamOptions.StallTimeout"/>): reopen it, waiting between attempts with exponential
/// backoff and jitter. Frames stay readable meanwhile and resume in the same ring, with sequence
/// numbers that go on counting. Without a policy (the default) the stream ends, as in the original.
/// </summary>
public sealed record ReconnectPolicy
{
    /// <summary>Wait before the first attempt. Default 0.5 s.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>The longest wait between attempts. Default 30 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Each wait is the previous one times this. Default 2.</summary>
    public double Multiplier { get; init; } = 2;

    /// <summary>Each wait is shortened by a random part of up to this fraction, so many clients do not reconnect in step. Default 0.2.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>Attempts in a row before giving up and ending the stream; null (the default) = never give up.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Throws the usual argument exceptions for values that cannot work.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialDelay, TimeSpan.Zero, nameof(InitialDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, InitialDelay, nameof(MaxDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(Multiplier, 1.0, nameof(Multiplier));
        if (Jitter is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(Jitter), Jitter, "Jitter is a fraction from 0 to 1.");
        if (MaxAttempts is { } max) ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(MaxAttempts));
    }

    /// <summary>
    /// The wait before attempt <paramref name="attempt"/> (1 = first), with jitter drawn from
    /// <paramref name="random"/> (<see cref="Random.Shared"/> when null): what the writer waits between
    /// reconnection attempts, for callers that retry a first open the same way.
    /// </summary>
    public TimeSpan DelayBefore(int attempt, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        random ??= Random.Shared;
        double seconds = InitialDelay.TotalSeconds * Math.Pow(Multiplier, Math.Min(attempt - 1, 60));
        seconds = Math.Min(seconds, MaxDelay.TotalSeconds);
        seconds *= 1 - Jitter * random.NextDouble();
        return TimeSpan.FromSeconds(seconds);
    }
}
