using MpegCoder.Tests.Infrastructure;

namespace MpegCoder.Benchmarks;

/// <summary>
/// The ffmpeg CLI piping rawvideo RGB24 into this process: a reader thread takes every frame as soon as
/// it arrives, so the newest frame is the last one read.
/// </summary>
internal sealed class PipeNewestFrame : INewestFrame
{
    private readonly FFmpegPipe _pipe;
    private readonly Thread _reader;
    private readonly int _width, _height;
    private volatile int _newest = -1;

    public PipeNewestFrame(string name, string url, IEnumerable<string> inputOptions, int width, int height, int threads)
    {
        Name = name;
        _width = width;
        _height = height;
        _pipe = new FFmpegPipe(url, inputOptions, 0, 0, threads, width * height * 3);
        _reader = new Thread(ReadAll) { IsBackground = true, Name = name };
        _reader.Start();
    }

    public string Name { get; }

    public int? NewestIndex() => _newest < 0 ? null : _newest;

    private void ReadAll()
    {
        var frame = new byte[_pipe.FrameBytes];
        while (_pipe.Read(frame))
        {
            var (top, bottom) = Barcode.ReadFrame(frame, _width, _height);
            if (top == bottom) _newest = top;
        }
    }

    public void Dispose()
    {
        _pipe.Dispose();
        _reader.Join(TimeSpan.FromSeconds(5));
    }
}
