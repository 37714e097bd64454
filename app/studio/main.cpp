// medvae-studio [--model CKPT] [--screenshot FILE] [FILE|URL...]
#include <QApplication>
#include <QCommandLineParser>

#include "engine.h"
#include "language_switcher.h"
#include "main_window.h"
#include "screenshot.h"
#include "studio_settings.h"

int main(int argc, char** argv) {
    medvae::Engine::configureCpuKernels();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("MedVAE Studio"));
    QApplication::setApplicationName(QStringLiteral("medvae-studio"));
    QApplication::setApplicationVersion(QStringLiteral(MEDVAE_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/medvae-studio.svg")));
    // Lets desktops (Wayland in particular) match windows to the installed menu entry and icon.
    QGuiApplication::setDesktopFileName(QStringLiteral("org.medvae.MedVAEStudio"));

    medvae::ui::LanguageSwitcher languages;
    languages.apply(medvae::ui::StudioSettings::read().language);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Inspect the latents and reconstructions of MedVAE medical-image autoencoders."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption model(
        QStringLiteral("model"),
        QApplication::translate("main", "Checkpoint to load instead of the remembered one."),
        QStringLiteral("CKPT"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QApplication::translate(
            "main", "Save the window to FILE once the first result is shown, then quit."),
        QStringLiteral("FILE"));
    parser.addOption(model);
    parser.addOption(screenshot);
    parser.addPositionalArgument(QStringLiteral("sources"),
                                 QApplication::translate("main", "Image files, folders or URLs."),
                                 QStringLiteral("[FILE|URL...]"));
    parser.process(app);

    medvae::ui::MainWindow window(&languages);
    if (parser.isSet(model))
        window.loadModel(parser.value(model));
    else
        window.loadDefaultModel();
    if (parser.isSet(screenshot)) new medvae::ui::Screenshot(&window, parser.value(screenshot));
    if (!parser.positionalArguments().isEmpty()) window.openSources(parser.positionalArguments());
    window.show();
    return QApplication::exec();
}
