#include "connectionbanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace pw::ui {

ConnectionBanner::ConnectionBanner(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
    , m_action(new QPushButton(this)) {
    setObjectName(QStringLiteral("connectionBanner"));
    setStyleSheet(QStringLiteral("#connectionBanner { background: #c0392b; } #connectionBanner "
                                 "QLabel { color: white; font-weight: bold; }"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_action->setObjectName(QStringLiteral("bannerAction"));
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_action);
    connect(m_action, &QPushButton::clicked, this, [this] {
        switch (m_problem) {
        case Problem::Unauthorized:
            Q_EMIT tokenRequested();
            break;
        case Problem::NoCluster:
        case Problem::ClusterDown:
            Q_EMIT connectRequested();
            break;
        case Problem::Unreachable:
        case Problem::Throttled:
        case Problem::None:
            Q_EMIT retryRequested();
            break;
        }
    });
    hide();
}

void ConnectionBanner::setProblem(Problem problem, const QString &text) {
    m_problem = problem;
    m_label->setText(text);
    switch (problem) {
    case Problem::None:
        hide();
        return;
    case Problem::Unreachable:
        m_action->setText(tr("Retry now"));
        break;
    case Problem::Unauthorized:
        m_action->setText(tr("Enter token…"));
        break;
    case Problem::Throttled:
        m_action->setText(tr("Retry now"));
        break;
    case Problem::NoCluster:
    case Problem::ClusterDown:
        m_action->setText(tr("Connect…"));
        break;
    }
    // Retrying early only earns another 429.
    m_action->setEnabled(problem != Problem::Throttled);
    show();
}

QString ConnectionBanner::text() const {
    return isVisible() || m_problem != Problem::None ? m_label->text() : QString();
}

} // namespace pw::ui
