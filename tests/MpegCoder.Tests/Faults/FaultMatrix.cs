namespace MpegCoder.Tests.Faults;

/// <summary>The deadlines the fault matrix gives the faces, short so the whole matrix stays quick.</summary>
internal static class FaultMatrix
{
    /// <summary>StreamOptions.OpenTimeout of the reading faces.</summary>
    public static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(3);

    /// <summary>StreamOptions.StallTimeout of the reading faces.</summary>
    public static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(1);

    /// <summary>How long a stop (Dispose, Clear, Terminate, StopAsync) may take, from any thread, at any moment.</summary>
    public static readonly TimeSpan Stop = TimeSpan.FromSeconds(1);
}
