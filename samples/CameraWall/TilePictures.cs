using MpegCoder.Hosting;
using MpegCoder.Imaging;

namespace MpegCoder.Samples.CameraWall;

/// <summary>One camera's newest picture as JPEG, and the frame it shows.</summary>
public sealed record TilePicture(long Sequence, byte[] Jpeg);

/// <summary>
/// Each camera's newest frame as a JPEG, encoded at most once per frame however many tabs ask: a
/// request for a frame already encoded gets the cached picture.
/// </summary>
public sealed class TilePictures(ICameraRegistry cameras) : IDisposable
{
    private readonly Dictionary<string, TilePicture> _cache = new(StringComparer.Ordinal);
    private readonly JpegEncoder _jpeg = new(quality: 80); // one encoder, used under the lock
    private readonly object _gate = new();

    /// <summary>The newest picture, or null while the camera has no frame (or is not configured).</summary>
    public TilePicture? Newest(string name)
    {
        var stream = cameras.GetStream(name);
        if (stream is null) return null;
        lock (_gate)
        {
            if (_cache.TryGetValue(name, out var cached) && cached.Sequence == stream.NewestSequence) return cached;
            var batch = cameras.ReadNewestFrame(name);
            if (batch is null || batch.Count == 0) return null;
            var picture = new TilePicture(batch.Metadata[0].Sequence,
                _jpeg.Encode(batch.Frame(0), batch.Width, batch.Height, batch.PixelFormat));
            _cache[name] = picture;
            return picture;
        }
    }

    public void Dispose() => _jpeg.Dispose();
}
