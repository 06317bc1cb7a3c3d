namespace MpegCoder.Samples.StreamPlayer;

// The JSON the page and the API exchange (camelCase on the wire).

/// <summary>What the Connect button sends: the address and the output settings (0 = the source's).</summary>
public sealed record ConnectRequest(string Address, int Width = 0, int Height = 0, int Fps = 0);

/// <summary>A new player session: one per browser tab.</summary>
public sealed record SessionCreated(string Id);

/// <summary>
/// Everything the page shows beside the picture. <see cref="Message"/> is the readable reason when
/// something went wrong (MpegClient.LastError), null otherwise.
/// </summary>
public sealed record SessionStatus(
    string State,
    string? Message,
    string? Address,
    int? SourceWidth,
    int? SourceHeight,
    string? Codec,
    double? SourceFps,
    int? OutputWidth,
    int? OutputHeight,
    long FramesDecoded,
    long FramesReceived,
    double MeasuredFps,
    double? NewestFrameAgeMs);

/// <summary>One encoded frame as the session publishes it: numbered across the session's whole life.</summary>
public sealed record JpegFrame(byte[] Jpeg, long Number, long ArrivedTimestamp);
