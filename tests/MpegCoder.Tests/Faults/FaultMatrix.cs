namespace MpegCoder.Tests.Faults;

/// <summary>The deadlines the fault matrix gives the faces, short so the whole matrix stays quick.</summary>
public static class FaultMatrix
{
    /// <summary>StreamOptions.OpenTimeout of the reading faces.</summary>
    internal static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(3);

    /// <summary>StreamOptions.StallTimeout of the reading faces.</summary>
    internal static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(1);

    /// <summary>How long a stop (Dispose, Clear, Terminate, StopAsync) may take, from any thread, at any moment.</summary>
    internal static readonly TimeSpan Stop = TimeSpan.FromSeconds(1);

    /// <summary>The sources and faults every reading face meets.</summary>
    public static Xunit.TheoryData<SourceKind, SourceFault> SourceCells => new()
    {
        { SourceKind.LiveRtsp, SourceFault.Stall },
        { SourceKind.LiveRtsp, SourceFault.Cut },
        { SourceKind.LiveRtsp, SourceFault.Freeze },
        { SourceKind.HttpFile, SourceFault.Stall },
        { SourceKind.HttpFile, SourceFault.Cut },
        { SourceKind.SftpFile, SourceFault.Stall },
        { SourceKind.SftpFile, SourceFault.Cut },
    };
}
