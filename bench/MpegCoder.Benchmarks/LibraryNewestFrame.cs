using MpegCoder.Tests.Infrastructure;

namespace MpegCoder.Benchmarks;

/// <summary>MpegClient on a live stream: the newest frame is what ExtractFrame(span, 1) returns now.</summary>
internal sealed class LibraryNewestFrame : INewestFrame
{
    private readonly MpegClient _client = new();
    private readonly byte[] _frame;
    private readonly int _width, _height;

    public LibraryNewestFrame(string name, string url, int threads, IReadOnlyDictionary<string, string>? formatOptions = null)
    {
        Name = name;
        _client.Options = _client.Options with
        {
            ReadSize = 1, CacheSize = 2, Threads = threads, RtspTransport = RtspTransport.Tcp,
            FFmpegOptions = formatOptions ?? new Dictionary<string, string>(),
        };
        if (!_client.FFmpegSetup(url)) throw new InvalidOperationException($"{name}: {_client.LastError}");
        _width = (int)_client.GetParameter("widthDst")!;
        _height = (int)_client.GetParameter("heightDst")!;
        _frame = new byte[_client.FrameBytes];
        _client.Start();
    }

    public string Name { get; }

    public int? NewestIndex()
    {
        if (_client.ExtractFrame(_frame, 1) != 1) return null;
        var (top, bottom) = Barcode.ReadFrame(_frame, _width, _height);
        return top == bottom ? top : null;
    }

    public void Dispose() => _client.Dispose();
}
