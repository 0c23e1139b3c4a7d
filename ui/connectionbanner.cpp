#include "connectionbanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

ConnectionBanner::ConnectionBanner(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this)) {
    setObjectName(QStringLiteral("connectionBanner"));
    setStyleSheet(QStringLiteral("#connectionBanner { background: #c0392b; } #connectionBanner "
                                 "QLabel { color: white; font-weight: bold; }"));
    m_label->setWordWrap(true);
    auto *retry = new QPushButton(tr("Retry now"), this);
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_label, 1);
    layout->addWidget(retry);
    connect(retry, &QPushButton::clicked, this, &ConnectionBanner::retryRequested);
    hide();
}

void ConnectionBanner::showProblem(const QString &server, const QString &detail) {
    m_label->setText(
        tr("The Pullwatch backend at %1 is unreachable: %2. The window reconnects by itself.")
            .arg(server, detail));
    show();
}

QString ConnectionBanner::text() const {
    return m_label->text();
}
