using System.Diagnostics.CodeAnalysis;
using MpegCoder.Encoders;
using MpegCoder.Recording;
using MpegCoder.Streaming;

namespace MpegCoder;

/// <summary>
/// Encodes RGB24 frames into a video file: the C# port of mpegCoder's <c>MpegEncoder</c>. Configure with
/// <see cref="SetParameter"/>, open the file with <see cref="FFmpegSetup"/>, give it frames with
/// <see cref="EncodeFrame(byte[,,])"/> (<c>byte[heightSrc, widthSrc, 3]</c>, the client's frame shape),
/// and finish the file with <see cref="FFmpegClose"/>. The container follows the file's extension
/// (.mp4, .mkv, .avi, .mov, .ts, .flv...); the codec is any video encoder of the loaded FFmpeg.
/// </summary>
/// <remarks>
/// All members are thread-safe; frames are encoded in the order the calls take the encoder's lock.
/// A failed setup or write releases every native object before it returns.
/// </remarks>
/// <example><code>
/// using var encoder = new MpegEncoder();
/// encoder.SetParameter(videoPath: "out.mp4", codecName: "libx264", width: 640, height: 480, frameRate: (25, 1));
/// if (!encoder.FFmpegSetup()) throw new Exception(encoder.LastError);
/// foreach (byte[,,] frame in frames) encoder.EncodeFrame(frame);
/// encoder.FFmpegClose();
/// </code></example>
public sealed class MpegEncoder : IDisposable, IAsyncDisposable
{
    /// <summary>How long one write may block before it fails (a full disk, a stalled network share).</summary>
    internal static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);

    private readonly EncoderPort _port = new(nameof(MpegEncoder), live: false);

    /// <summary>Creates an encoder with the original's defaults: libx264, 100x100, 25 fps, GOP 10, 1 B-frame.</summary>
    public MpegEncoder() { }

    /// <summary>
    /// Why the last setup, write or close failed (a full disk: "No space left on device"); null when all is
    /// well. Cleared by the next <see cref="FFmpegSetup"/>, except that a failure to finish the previous
    /// file that this setup closes stays here even when the new one opens.
    /// </summary>
    public string? LastError => _port.LastError;

    /// <summary>
    /// Sets parameters for the next <see cref="FFmpegSetup"/>; omitted ones keep their value. Applied in the
    /// order: <paramref name="decoder"/>, <paramref name="configDict"/>, then each keyword.
    /// </summary>
    /// <param name="decoder">An <see cref="MpegClient"/> (or MpegDecoder) whose codec, size, frame rate, bit rate, GOP and threads are copied (not its address).</param>
    /// <param name="configDict">A dictionary as <see cref="GetParameter()"/> returns it (bitRate in bits/s there).</param>
    /// <param name="videoPath">The output file; its extension chooses the container.</param>
    /// <param name="codecName">An encoder ("libx264", "libx265", "mpeg4", "mjpeg", "ffv1"...) or a codec ("h264": FFmpeg's encoder of it).</param>
    /// <param name="nthread">Encoder threads; 0 = FFmpeg's choice.</param>
    /// <param name="bitRate">Kilobits (1024 bits) per second, as in the original; 0 = the encoder's own rate control.</param>
    /// <param name="width">Encoded width (also the source width unless widthSrc is set).</param>
    /// <param name="height">Encoded height (also the source height unless heightSrc is set).</param>
    /// <param name="widthSrc">Width of the frames given to EncodeFrame (scaled to width); 0 = width.</param>
    /// <param name="heightSrc">Height of the frames given to EncodeFrame; 0 = height.</param>
    /// <param name="GOPSize">Frames from one keyframe to the next at most.</param>
    /// <param name="maxBframe">B-frames in a row at most.</param>
    /// <param name="frameRate">Frames per second as (num, den).</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative or zero size, rate or count.</exception>
    [SuppressMessage("Naming", "CA1707", Justification = "The original's keyword names.")]
    [SuppressMessage("Style", "IDE1006", Justification = "The original's keyword names.")]
    public void SetParameter(IDecoderParameters? decoder = null, IReadOnlyDictionary<string, object>? configDict = null, string? videoPath = null,
        string? codecName = null, int? nthread = null, double? bitRate = null, int? width = null, int? height = null,
        int? widthSrc = null, int? heightSrc = null, int? GOPSize = null, int? maxBframe = null, (int num, int den)? frameRate = null) =>
        _port.SetParameter(decoder, configDict, videoPath, codecName, nthread, bitRate, width, height, widthSrc, heightSrc, GOPSize, maxBframe, frameRate);

    /// <summary>
    /// One parameter by the original's name: videoPath, codecName, bitRate (kb/s), width, height, widthSrc,
    /// heightSrc, GOPSize, maxBframe, frameRate (fps), nthread; and, once set up, encoderName, pixelFormat, frameCount.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public object? GetParameter(string name)
    {
        lock (_port.Gate) return Parameters.Read(this, name);
    }

    /// <summary>The names <see cref="GetParameter(string)"/> knows, their types, and where each value comes from.</summary>
    internal static readonly PortParameterTable<MpegEncoder> Parameters = new(EncoderPort.ParameterRows("videoPath").Through((MpegEncoder e) => e._port));

    /// <summary>The original's parameter dictionary (bitRate in bits/s, frameRate as (num, den)); <see cref="SetParameter"/> takes it back as configDict.</summary>
    public IReadOnlyDictionary<string, object> GetParameter() => _port.Parameters("videoPath");

    /// <summary>Sets the file for the next <see cref="FFmpegSetup"/>; opens nothing.</summary>
    public void ResetPath(string videoPath) => _port.ResetPath(videoPath);

    /// <summary>
    /// Closes a previous file (writing its trailer), then opens the encoder and the file and writes its header.
    /// </summary>
    /// <param name="videoPath">The file; null uses the one of <see cref="ResetPath"/> or <see cref="SetParameter"/>.</param>
    /// <returns>True on success; false with the reason in <see cref="LastError"/> (an unknown codec's lists the video encoders this FFmpeg has).</returns>
    /// <exception cref="InvalidOperationException">No file given and none set before.</exception>
    /// <exception cref="FFmpegNotFoundException">No supported FFmpeg is installed.</exception>
    public bool FFmpegSetup(string? videoPath = null) => _port.Setup(videoPath, _ => (null, null), WriteTimeout);

    /// <summary>Prints FFmpeg's description of the output (av_dump_format) to standard error.</summary>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    public void DumpFile() => _port.Dump();

    /// <summary>Encodes one frame, <c>byte[heightSrc, widthSrc, 3]</c> RGB24 (what <see cref="MpegClient.ExtractFrame(int)"/> gives per frame).</summary>
    /// <returns>True when encoded; false when writing failed (the file is closed, see <see cref="LastError"/>).</returns>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    /// <exception cref="ArgumentException">The frame's shape is not heightSrc x widthSrc x 3.</exception>
    public bool EncodeFrame(byte[,,] frame) => _port.Encode(frame);

    /// <summary>
    /// The allocation-free form of <see cref="EncodeFrame(byte[,,])"/>: one packed RGB24 frame of
    /// <see cref="FrameBytes"/> bytes (rows of widthSrc x 3 bytes, top first).
    /// </summary>
    /// <exception cref="ArgumentException">The span is not <see cref="FrameBytes"/> long.</exception>
    public bool EncodeFrame(ReadOnlySpan<byte> frame) => _port.Encode(frame);

    /// <summary>Bytes of one source frame (heightSrc x widthSrc x 3) of the open encoder.</summary>
    /// <exception cref="InvalidOperationException">Not set up.</exception>
    public int FrameBytes => _port.FrameBytes;

    /// <summary>Flushes the frames the encoder holds back, writes the file's trailer and releases everything. Safe when not set up.</summary>
    /// <returns>True when the file was finished (or nothing was open); false with the reason in <see cref="LastError"/>.</returns>
    public bool FFmpegClose() => _port.Close();

    /// <summary>
    /// Releases everything without finishing the file (use <see cref="FFmpegClose"/> for a playable file); keeps
    /// the parameters. A write in progress on another thread gives up at once (that call returns false).
    /// </summary>
    public void Clear() => _port.Release();

    /// <summary>Finishes the file as <see cref="FFmpegClose"/> does, then releases everything.</summary>
    public void Dispose() => _port.Close();

    /// <summary><see cref="Dispose"/> on a pool thread, so that the caller does not block while the encoder flushes and the output finishes (writing the trailer).</summary>
    public ValueTask DisposeAsync() => new(Task.Run(Dispose));

    /// <summary>Whether an output is open (between a successful setup and the close), for tests of this assembly.</summary>
    internal bool IsOpen => _port.IsOpen;

    /// <summary>The original's status report.</summary>
    public override string ToString() => _port.Describe();
}
