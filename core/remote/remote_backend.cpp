#include "remote_backend.h"

#include "error.h"
#include "scoring_contract.h"
#include "url_fetcher.h"

namespace medvae::remote {

RemoteBackend::RemoteBackend(EndpointProfile profile, QString key, ScoringClient::Options options)
    : client_(std::move(profile), std::move(key), options) {
    description_.kind = "remote";
    description_.model = client_.profile().deployment.isEmpty()
                             ? std::string("endpoint default deployment")
                             : client_.profile().deployment.toStdString();
    description_.location = client_.profile().scoringUri.toStdString();
    description_.device = "remote";
}

std::shared_ptr<RemoteBackend> RemoteBackend::create(const EndpointProfile& profile,
                                                     const QString& key,
                                                     ScoringClient::Options options) {
    return std::make_shared<RemoteBackend>(profile, key, options);
}

std::shared_ptr<RemoteBackend> RemoteBackend::fromActiveProfile(EndpointSettings& settings,
                                                                KeyStore& keys) {
    const auto profile = settings.active();
    if (!profile)
        throw Error(
            "No remote endpoint is active: add one under Remote endpoints and make it active");
    return fromProfile(*profile, keys);
}

std::shared_ptr<RemoteBackend> RemoteBackend::fromProfile(const EndpointProfile& profile,
                                                          KeyStore& keys) {
    // A profile without a key never asks the keychain (there may be none: a loopback server
    // needs no key, and a desktop without a Secret Service must still reach it).
    const QString key = profile.hasKey && !profile.keyRef.isEmpty()
                            ? keys.read(profile.keyRef).value_or(QString())
                            : QString();
    return create(profile, key);
}

jobs::BackendDescription RemoteBackend::describe() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return description_;
}

EncodeResult RemoteBackend::run(const Image& image, const EncodeOptions& options,
                                const RunControl* control) {
    if (!client_.profile().consentGiven)
        throw Error("Images have not been confirmed for sending to the endpoint '" +
                    client_.profile().name.toStdString() +
                    "': confirm sending first (only pixels leave, as PNG, no DICOM header)");
    if (options.sample)
        throw Error(
            "A remote endpoint returns the posterior mean only; sampling z is a local "
            "engine option");
    if (control && control->cancelled && control->cancelled()) throw Cancelled();
    QString field;
    if (client_.profile().sendUrls && UrlFetcher::isHttpUrl(image.meta.source))
        field = QString::fromStdString(image.meta.source);
    else
        field = QString::fromLatin1(contract::ScoringContract::encodePng(image).toBase64());
    if (control && control->progress) control->progress(0, 1);
    EncodeResult result = client_.score(field, options.decode, control);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        description_.latentChannels = int(result.latent.size(0));
        if (result.decoded.defined()) {
            description_.imageChannels = int(result.decoded.size(0));
            description_.factor = int(result.decoded.size(1) / result.latent.size(1));
        }
    }
    if (control && control->progress) control->progress(1, 1);
    return result;
}

}  // namespace medvae::remote
