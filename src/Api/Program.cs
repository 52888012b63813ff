using TicketFlash.Api.Auth;
using TicketFlash.Api.Endpoints;
using TicketFlash.Api.Infrastructure;
using TicketFlash.Api.Live;

// Content root = the app folder, so appsettings.json applies whatever directory the process starts in.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddEnvironmentVariables("TF_");
builder.AddTicketFlashHttp();
builder.AddTicketFlashAuth();
builder.AddTicketFlashClusterClient();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<LiveStockRelay>();
builder.Services.AddHostedService<DemoSeeder>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveStockRelay>());

var app = builder.Build();
app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = Problems.HandleException });
// Errors from the pipeline itself (401, 403, unmatched routes, 405) are typed problems too, whatever the Accept header.
app.UseStatusCodePages(ctx => Problems.ForStatus(ctx.HttpContext.Response.StatusCode).ExecuteAsync(ctx.HttpContext));
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();

app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
app.MapHealth();
app.MapVenuesApi();
app.MapEventsApi();
app.MapOrdersApi();
app.MapMeApi();
app.MapTicketCodesApi();
app.MapTicketsApi();
app.MapResaleApi();
app.MapOfflineCheckInApi();
app.MapHub<LiveHub>(LiveHub.Path);
if (app.Environment.IsDevelopment() && app.Services.GetRequiredService<DevTokenKey>().Key is not null) app.MapDevApi();

app.Run();

/// <summary>Visible to the test host.</summary>
public partial class Program;
