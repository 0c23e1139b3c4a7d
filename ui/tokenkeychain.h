#pragma once

#include <QString>
#include <QUrl>

#include <functional>

class QObject;

namespace pw::ui {

// API tokens of remote Pullwatch servers in the desktop keychain (QtKeychain: Secret
// Service, KWallet…), one entry per server URL. Never in a file the program writes: without
// a keychain the token is used for this session only and the error says so.
namespace TokenKeychain {
// `done(token, error)`: an empty token and error when none is kept for `server`.
void load(const QUrl &server, QObject *context,
          std::function<void(const QString &token, const QString &error)> done);
// `done(error)`: empty when kept.
void store(const QUrl &server, const QString &token, QObject *context,
           std::function<void(const QString &error)> done);
} // namespace TokenKeychain

} // namespace pw::ui
