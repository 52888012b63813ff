using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TicketFlash.Abstractions.Common;
using TicketFlash.Api.Auth;
using TicketFlash.Api.Endpoints;
using TicketFlash.Api.Infrastructure;

namespace TicketFlash.Tickets.Tests.Infrastructure;

/// <summary>
/// The API's own auth, problem handling and ticket-code endpoints on a loopback Kestrel port, calling the test cluster's
/// client: the endpoints run exactly as in the API process, without PostgreSQL.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DevTokenKey _key;

    private ApiHost(WebApplication app)
    {
        _app = app;
        _key = app.Services.GetRequiredService<DevTokenKey>();
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public HttpClient Http { get; }

    public static async Task<ApiHost> Start(IClusterClient cluster)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Configuration["urls"] = "http://127.0.0.1:0";
        builder.Configuration["Auth:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
        builder.AddTicketFlashHttp();
        builder.AddTicketFlashAuth();
        builder.Services.AddSingleton(cluster);
        builder.Services.AddSingleton<IGrainFactory>(cluster);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = Problems.HandleException });
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapTicketsApi();
        app.MapEventsApi();
        await app.StartAsync();
        return new ApiHost(app);
    }

    /// <summary>A bearer token for <paramref name="actor"/>, signed like the API's development tokens.</summary>
    public string Token(Actor actor)
    {
        var claims = new List<Claim> { new("sub", actor.UserId) };
        claims.AddRange(actor.Roles.Select(r => new Claim("roles", r)));
        if (actor.Tenant is not null) claims.Add(new Claim("tenant", actor.Tenant));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthSetup.Issuer,
            Audience = AuthSetup.Audience,
            Subject = new ClaimsIdentity(claims),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(_key.Key, SecurityAlgorithms.HmacSha256),
        });
    }

    public Task<HttpResponseMessage> Get(string path, Actor? actor) => Send(HttpMethod.Get, path, actor);

    public async Task<HttpResponseMessage> Send(HttpMethod method, string path, Actor? actor)
    {
        using var request = new HttpRequestMessage(method, path);
        if (actor is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(actor));
        return await Http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> Post<T>(string path, Actor? actor, T body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (actor is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(actor));
        return await Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
