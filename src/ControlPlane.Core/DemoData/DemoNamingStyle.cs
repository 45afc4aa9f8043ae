namespace ControlPlane.Core.DemoData;

internal enum DemoNamingStyle
{
    Snake,
    Camel,
    Pascal,
    UpperSnake,
    TitleWords,
}
