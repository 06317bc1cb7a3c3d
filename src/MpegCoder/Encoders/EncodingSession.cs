using MpegCoder.Interop;
using MpegCoder.Lifecycle;
using MpegCoder.Recording;
using MpegCoder.Streaming;

namespace MpegCoder.Encoders;

/// <summary>
/// One encoder feeding one output, from setup to trailer: what MpegEncoder and MpegServer hold between
/// FFmpegSetup and FFmpegClose. Frame n gets the presentation time n (in ticks of 1/frame rate), so the
/// output's clock is the frame count whatever the wall clock does. Not thread-safe: the faces serialise calls.
/// </summary>
internal sealed unsafe class EncodingSession : IDisposable
{
    private readonly EncoderContext _encoder;
    private readonly VideoOutput _output;
    private long _nextPts;

    public EncoderSettings Settings { get; }

    /// <summary>The session's stop: cancels a pacing wait, and interrupts the output's blocking call.</summary>
    public StopRequest Stop { get; }

    /// <summary>Frames given to the encoder so far. Read from any thread (an atomic read of a counter only the writer changes).</summary>
    public long FramesSent => Volatile.Read(ref _nextPts);

    /// <summary>Packets written to the output so far.</summary>
    public long PacketsWritten { get; private set; }

    /// <summary>The encoder's name ("libx264").</summary>
    public string EncoderName => _encoder.Name;

    /// <summary>The pixel format the encoder took ("yuv420p").</summary>
    public string PixelFormat => _encoder.PixelFormat;

    /// <summary>The container's short name ("mp4", "flv").</summary>
    public string FormatName => _output.FormatName;

    private EncodingSession(EncoderSettings settings, EncoderContext encoder, VideoOutput output, StopRequest stop)
    {
        Settings = settings;
        Stop = stop;
        _encoder = encoder;
        _output = output;
    }

    /// <summary>Opens the output and the encoder and writes the header; on failure nothing stays open.</summary>
    /// <param name="settings">The encoder's settings.</param>
    /// <param name="url">The file or the stream's address.</param>
    /// <param name="formatName">The container ("flv", "rtsp", "mpegts"); null: from the file's extension.</param>
    /// <param name="options">Muxer and protocol options; null for none.</param>
    /// <param name="ioTimeout">How long one blocking open or write may take.</param>
    /// <param name="stop">The session's stop, made before the open so that a Clear on another thread interrupts the open too.</param>
    /// <exception cref="EncoderException">Why it cannot be opened, in FFmpeg's words where it has any.</exception>
    public static EncodingSession Open(EncoderSettings settings, string url, string? formatName,
        IReadOnlyDictionary<string, string>? options, TimeSpan ioTimeout, StopRequest stop)
    {
        settings.Validate();
        var output = VideoOutput.Create(url, formatName, ioTimeout, stop.Interrupt);
        EncoderContext? encoder = null;
        try
        {
            encoder = VideoEncoder.Open(settings, output.WantsGlobalHeader);
            output.Start(encoder, options);
            return new EncodingSession(settings, encoder, output, stop);
        }
        catch
        {
            encoder?.Dispose();
            output.Dispose();
            throw;
        }
    }

    /// <summary>Encodes one packed RGB24 frame of the source size and writes what the encoder gives back. Allocates nothing.</summary>
    public void Encode(ReadOnlySpan<byte> rgb24)
    {
        System.Diagnostics.Debug.Assert(rgb24.Length == Settings.SourceFrameBytes);
        _encoder.Send(rgb24, _nextPts);
        Volatile.Write(ref _nextPts, _nextPts + 1);
        WritePackets();
    }

    /// <summary>Flushes the frames the encoder holds back (lookahead, B-frames), then writes the trailer.</summary>
    public void Finish()
    {
        _encoder.SendEnd();
        WritePackets();
        _output.Finish();
    }

    public void Dump() => _output.Dump();

    private void WritePackets()
    {
        while (_encoder.Receive())
        {
            try
            {
                _output.Write(_encoder.Packet);
                PacketsWritten++;
            }
            finally
            {
                ffmpeg.av_packet_unref(_encoder.Packet);
            }
        }
    }

    public void Dispose()
    {
        _encoder.Dispose();
        _output.Dispose();
    }
}
