#include "pulldialog.h"

#include "core/imagereference.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextBlock>
#include <QVBoxLayout>

namespace pw::ui {

PullDialog::PullDialog(QWidget *parent)
    : QDialog(parent)
    , m_edit(new QPlainTextEdit(this))
    , m_report(new QLabel(this))
    , m_demoHint(new QLabel(this))
    , m_preview(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this)) {
    setWindowTitle(tr("Pull images"));
    m_edit->setObjectName(QStringLiteral("referencesEdit"));
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setPlaceholderText(
        tr("nginx:1.27\nnvcr.io/nvidia/pytorch:24.05-py3\nghcr.io/org/tool@sha256:…"));
    m_edit->setTabChangesFocus(true);
    m_report->setObjectName(QStringLiteral("validationReport"));
    m_report->setWordWrap(true);
    m_report->setTextFormat(Qt::RichText);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Start pulls"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Image references, one per line:"), this));
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_report);
    layout->addWidget(m_preview);
    layout->addWidget(m_demoHint);
    layout->addWidget(m_buttons);
    resize(560, 380);
    m_demoHint->setObjectName(QStringLiteral("demoOutcomes"));
    m_demoHint->setWordWrap(true);
    m_demoHint->setTextFormat(Qt::RichText);
    m_demoHint->hide();
    connect(m_demoHint, &QLabel::linkActivated, this, [this](const QString &example) {
        QString text = m_edit->toPlainText();
        if (!text.isEmpty() && !text.endsWith(u'\n'))
            text += u'\n';
        m_edit->setPlainText(text + example);
    });
    m_preview->setObjectName(QStringLiteral("targetPreview"));
    m_preview->setWordWrap(true);
    m_preview->setTextFormat(Qt::RichText);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->hide();
    m_previewDelay.setSingleShot(true);
    m_previewDelay.setInterval(300);
    connect(&m_previewDelay, &QTimer::timeout, this, [this] {
        if (!m_valid.isEmpty())
            Q_EMIT previewWanted(m_valid);
    });
    connect(m_edit, &QPlainTextEdit::textChanged, this, &PullDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (canStart())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

void PullDialog::setDemoOutcomes(const QJsonArray &outcomes) {
    QStringList rows;
    QString failedExample;
    for (const QJsonValue &v : outcomes) {
        const QJsonObject o = v.toObject();
        const QString example = o.value(QStringLiteral("example")).toString();
        const QString outcome = o.value(QStringLiteral("outcome")).toString();
        if (failedExample.isEmpty() && outcome.startsWith(QStringLiteral("fails")))
            failedExample = example;
        rows.append(tr("<code>%1</code>: %2 (<a href=\"%3\">%3</a>)")
                        .arg(o.value(QStringLiteral("keyword")).toString().toHtmlEscaped(),
                             outcome.toHtmlEscaped(), example.toHtmlEscaped()));
    }
    if (rows.isEmpty()) {
        m_demoHint->hide();
        return;
    }
    m_demoHint->setText(
        tr("<b>Demo cluster:</b> the image name decides how a pull ends; any other name "
           "completes. Try <a href=\"%1\">%1</a> to see a failed pull.<br>%2")
            .arg(failedExample.toHtmlEscaped(), rows.join(QStringLiteral("<br>"))));
    m_demoHint->show();
}

void PullDialog::setText(const QString &text) {
    m_edit->setPlainText(text);
}

bool PullDialog::canStart() const {
    return !m_valid.isEmpty() && m_problems.isEmpty() && !(m_refused && m_previewed == m_valid);
}

void PullDialog::showPreview(const QStringList &references, const QJsonArray &rows,
                             const QString &error, bool refused) {
    if (references != m_valid)
        return; // an answer for what was typed before
    m_previewed = references;
    m_refused = refused;
    if (!error.isEmpty()) {
        // Not refused (no cluster, unreachable): the pull itself will say; Start stays.
        m_preview->setText(QStringLiteral("<span style='color:%1'>%2</span>")
                               .arg(refused ? QStringLiteral("#b03a2e") : QStringLiteral("#6e7781"),
                                    error.toHtmlEscaped()));
    } else {
        QStringList lines;
        for (const QJsonValue &v : rows) {
            const QJsonObject row = v.toObject();
            const QString joins = row.value(QStringLiteral("active_job_id")).toString();
            lines.append(tr("<code>%1</code> will be copied to <code>%2</code>%3")
                             .arg(row.value(QStringLiteral("name")).toString().toHtmlEscaped(),
                                  row.value(QStringLiteral("harbor_target")).toString().toHtmlEscaped(),
                                  joins.isEmpty() ? QString()
                                                  : tr(" (joins the running pull %1)")
                                                        .arg(joins.toHtmlEscaped())));
        }
        m_preview->setText(lines.join(QStringLiteral("<br>")));
    }
    m_preview->setVisible(!m_preview->text().isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(canStart());
}

void PullDialog::validate() {
    m_valid.clear();
    m_problems.clear();
    QList<QTextEdit::ExtraSelection> marks;
    QStringList reportLines;
    int lineNumber = 0;
    for (QTextBlock block = m_edit->document()->begin(); block.isValid(); block = block.next()) {
        ++lineNumber;
        const QString line = block.text().trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const auto parsed = core::ImageReference::parse(line);
        if (parsed.ok()) {
            m_valid.append(line);
            continue;
        }
        m_problems.append(tr("line %1: %2").arg(lineNumber).arg(parsed.error()));
        reportLines.append(tr("<b>line %1</b> <code>%2</code>: %3")
                               .arg(lineNumber)
                               .arg(line.left(80).toHtmlEscaped(), parsed.error().toHtmlEscaped()));
        QTextEdit::ExtraSelection mark;
        // The whole block, so a line wrapped over several rows is marked on every row.
        mark.cursor = QTextCursor(block);
        mark.cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        mark.format.setBackground(QColor(0xf9, 0xd6, 0xd5));
        mark.format.setProperty(QTextFormat::FullWidthSelection, true);
        marks.append(mark);
    }
    m_edit->setExtraSelections(marks);
    if (!m_problems.isEmpty()) {
        m_report->setText(QStringLiteral("<span style='color:#b03a2e'>%1</span>")
                              .arg(reportLines.join(QStringLiteral("<br>"))));
    } else if (m_valid.isEmpty()) {
        m_report->setText(tr("Type or paste one or more image references."));
    } else {
        m_report->setText(tr("<span style='color:#1e8449'>%n valid reference(s).</span>", nullptr,
                             int(m_valid.size())));
    }
    if (!m_problems.isEmpty())
        m_valid.clear();
    if (m_valid != m_previewed) {
        m_preview->hide();
        m_previewDelay.start();
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(canStart());
}

} // namespace pw::ui
