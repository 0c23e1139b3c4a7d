#include "connectionchoice.h"

#include <QObject>

QStringList ConnectionChoice::arguments() const {
    switch (kind) {
    case Kind::Demo:
        return {QStringLiteral("--demo")};
    case Kind::Kubeconfig: {
        QStringList args{QStringLiteral("--kubeconfig"), kubeconfig};
        if (!context.isEmpty())
            args << QStringLiteral("--context") << context;
        return args;
    }
    case Kind::Remote:
        return {QStringLiteral("--connect"), url.toString(QUrl::RemoveUserInfo)};
    }
    return {};
}

QString ConnectionChoice::key() const {
    switch (kind) {
    case Kind::Demo:
        return QStringLiteral("demo");
    case Kind::Kubeconfig:
        return QStringLiteral("kubeconfig:%1#%2").arg(kubeconfig, context);
    case Kind::Remote:
        return url.toString(QUrl::RemoveUserInfo);
    }
    return {};
}

QString ConnectionChoice::describe() const {
    switch (kind) {
    case Kind::Demo:
        return QObject::tr("the demo cluster");
    case Kind::Kubeconfig:
        return context.isEmpty() ? kubeconfig
                                 : QObject::tr("context %1 of %2").arg(context, kubeconfig);
    case Kind::Remote:
        return url.toDisplayString(QUrl::RemoveUserInfo);
    }
    return {};
}
