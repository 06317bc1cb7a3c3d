using System.Buffers;
using MpegCoder.Recording;
using MpegCoder.Streaming;

namespace MpegCoder;

/// <summary>
/// What <see cref="VideoStream.ReadFramesAsync"/> returns: each enumeration opens its own ring cursor in
/// <see cref="GetAsyncEnumerator"/>, not at its first <c>MoveNextAsync</c>, so enumerations started
/// together all start at the same frame, and disposing one releases the writer from it even when it never
/// moved.
/// </summary>
internal sealed class FrameEnumeration(VideoStream stream, FrameReader reads, CancellationToken cancellationToken) : IAsyncEnumerable<VideoFrame>
{
    public IAsyncEnumerator<VideoFrame> GetAsyncEnumerator(CancellationToken enumeratorToken = default) =>
        new Enumerator(stream, reads, reads.OpenCursor(), cancellationToken, enumeratorToken);

    private sealed class Enumerator : IAsyncEnumerator<VideoFrame>
    {
        private readonly VideoStream _stream;
        private readonly FrameReader _reads;
        private readonly FrameRing.Cursor _cursor;
        private readonly CancellationTokenSource? _linked;
        private readonly CancellationToken _token;

        public Enumerator(VideoStream stream, FrameReader reads, FrameRing.Cursor cursor, CancellationToken first, CancellationToken second)
        {
            _stream = stream;
            _reads = reads;
            _cursor = cursor;
            // The token given to ReadFramesAsync and the one of WithCancellation both cancel the enumeration.
            if (first.CanBeCanceled && second.CanBeCanceled && first != second)
            {
                _linked = CancellationTokenSource.CreateLinkedTokenSource(first, second);
                _token = _linked.Token;
            }
            else
            {
                _token = first.CanBeCanceled ? first : second;
            }
        }

        public VideoFrame Current { get; private set; } = null!;

        public async ValueTask<bool> MoveNextAsync()
        {
            while (true)
            {
                _token.ThrowIfCancellationRequested();
                var buffer = ArrayPool<byte>.Shared.Rent(_stream.FrameBytes);
                if (_reads.TryReadNext(_cursor, buffer, out var metadata))
                {
                    Current = new VideoFrame(buffer, _stream.Width, _stream.Height, _stream.PixelFormat, metadata);
                    return true;
                }
                ArrayPool<byte>.Shared.Return(buffer);
                if (!await _reads.WaitForNextAsync(_cursor, _token).ConfigureAwait(false)) return false;
            }
        }

        public ValueTask DisposeAsync()
        {
            _cursor.Dispose();
            _linked?.Dispose();
            return default;
        }
    }
}
