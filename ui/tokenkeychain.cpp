#include "tokenkeychain.h"

#include <qt6keychain/keychain.h>

#include <QObject>
#include <QPointer>

namespace pw::ui {

namespace {

const QString kService = QStringLiteral("pullwatch");

QString keyFor(const QUrl &server) {
    return server.adjusted(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash).toString();
}

// What went wrong, in words a user can act on (QtKeychain often says only "Unknown error").
QString describe(QKeychain::Job *job) {
    switch (job->error()) {
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return QObject::tr("no desktop keychain is available (Secret Service or KWallet)");
    case QKeychain::AccessDeniedByUser:
        return QObject::tr("access to the desktop keychain was refused");
    case QKeychain::AccessDenied:
        return QObject::tr("access to the desktop keychain was denied: %1").arg(job->errorString());
    default:
        break;
    }
    const QString why = job->errorString();
    return why.isEmpty() || why == u"Unknown error"
               ? QObject::tr("the desktop keychain did not answer (is a Secret Service running?)")
               : why;
}

} // namespace

namespace TokenKeychain {

void load(const QUrl &server, QObject *context,
          std::function<void(const QString &token, const QString &error)> done) {
    auto *job = new QKeychain::ReadPasswordJob(kService);
    job->setInsecureFallback(false); // docs/architecture.md §6: no secret in a plain file
    job->setKey(keyFor(server));
    QObject::connect(job, &QKeychain::Job::finished, context, [job, done](QKeychain::Job *) {
        if (job->error() == QKeychain::NoError)
            done(job->textData(), QString());
        else if (job->error() == QKeychain::EntryNotFound)
            done(QString(), QString());
        else
            done(QString(), describe(job));
    });
    job->start();
}

void store(const QUrl &server, const QString &token, QObject *context,
           std::function<void(const QString &error)> done) {
    auto *job = new QKeychain::WritePasswordJob(kService);
    job->setInsecureFallback(false);
    job->setKey(keyFor(server));
    job->setTextData(token);
    QObject::connect(job, &QKeychain::Job::finished, context, [job, done](QKeychain::Job *) {
        done(job->error() == QKeychain::NoError ? QString() : describe(job));
    });
    job->start();
}

} // namespace TokenKeychain

} // namespace pw::ui
