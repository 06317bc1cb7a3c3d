using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MpegCoder.Samples.CameraWall;

/// <summary>/health as JSON: the overall status, and each check's status, description and per-camera data.</summary>
public static class HealthJson
{
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        var body = new Dictionary<string, object?>
        {
            ["status"] = report.Status.ToString(),
            ["checks"] = report.Entries.ToDictionary(e => e.Key, e => new Dictionary<string, object?>
            {
                ["status"] = e.Value.Status.ToString(),
                ["description"] = e.Value.Description,
                ["cameras"] = e.Value.Data.ToDictionary(d => d.Key, d => d.Value?.ToString()),
            }),
        };
        return http.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
