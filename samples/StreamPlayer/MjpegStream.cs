using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace MpegCoder.Samples.StreamPlayer;

/// <summary>
/// A session's pictures as MJPEG over HTTP (multipart/x-mixed-replace), which an &lt;img&gt; shows as
/// live video. Each part is followed at once by the next boundary, so the browser shows a frame as soon
/// as it arrives instead of waiting for the following one.
/// </summary>
internal static class MjpegStream
{
    private const string Boundary = "mpegcoderframe";
    private static readonly byte[] NextBoundary = Encoding.ASCII.GetBytes($"\r\n--{Boundary}\r\n");

    public static async Task Write(HttpContext http, PlayerSession? session)
    {
        if (session is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var cancel = http.RequestAborted;
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        http.Response.ContentType = $"multipart/x-mixed-replace; boundary={Boundary}";
        http.Response.Headers.CacheControl = "no-store";
        var body = http.Response.Body;
        try
        {
            await body.WriteAsync(NextBoundary.AsMemory(2), cancel);
            long sent = 0;
            while (await session.Feed.NextAsync(sent, cancel) is { } frame)
            {
                byte[] headers = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
                    $"Content-Type: image/jpeg\r\nContent-Length: {frame.Jpeg.Length}\r\n\r\n"));
                await body.WriteAsync(headers, cancel);
                await body.WriteAsync(frame.Jpeg, cancel);
                await body.WriteAsync(NextBoundary, cancel);
                await body.FlushAsync(cancel);
                sent = frame.Number;
            }
        }
        catch (OperationCanceledException)
        {
            // The tab closed the picture (or went away): nothing to finish.
        }
    }
}
