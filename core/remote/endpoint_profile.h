#pragma once

#include <QString>

namespace medvae::remote {

// One remote scoring endpoint as the user configured it. Stored in QSettings by
// EndpointSettings; the key itself never is: `keyRef` names its entry in the OS keychain.
struct EndpointProfile {
    QString id;    // stable identifier (a UUID), also the default keychain entry
    QString name;  // shown to the user
    QString
        scoringUri;  // https://<endpoint>.<region>.inference.ml.azure.com/score, or medvae-serve
    QString deployment;  // azureml-model-deployment header; empty: the endpoint's traffic split
    QString keyRef;      // keychain account for the key (when there is one)
    // A key was given for this profile (kept in the keychain, or for this session only). False:
    // the endpoint takes no key (a loopback medvae-serve), and the keychain is never asked.
    bool hasKey = false;
    bool sendUrls = false;      // images that came from an http(s) URL are sent as that URL
    int timeoutS = 190;         // per request (the service allows up to 180 s of scoring)
    int maxRetries = 3;         // for retryable failures (429, 5xx, resets, stalls)
    int maxInFlight = 1;        // concurrent requests (the service's default per instance)
    bool consentGiven = false;  // the user confirmed that images may leave this machine
};

}  // namespace medvae::remote
