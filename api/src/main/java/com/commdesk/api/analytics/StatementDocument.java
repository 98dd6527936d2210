package com.commdesk.api.analytics;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.openpdf.text.Document;
import org.openpdf.text.Element;
import org.openpdf.text.Font;
import org.openpdf.text.FontFactory;
import org.openpdf.text.PageSize;
import org.openpdf.text.Paragraph;
import org.openpdf.text.Phrase;
import org.openpdf.text.pdf.PdfPCell;
import org.openpdf.text.pdf.PdfPTable;
import org.openpdf.text.pdf.PdfWriter;

/**
 * One statement as sections of rows of amounts, rendered to CSV and to PDF from the same values, so
 * the two formats cannot disagree. CSV is long-form, one amount per line
 * ({@code section,item,measure,amount_paise,amount_inr,detail}); the PDF shows each section as a table
 * with rupees in Indian grouping. The PDF's font (Liberation Sans, shipped inside OpenPDF) has no ₹
 * glyph, so PDF columns say "INR".
 */
public record StatementDocument(String title, List<String> heading, List<Section> sections) {

    /** A table: its measures are the amount columns every row has (a row may leave one empty: null). */
    public record Section(String title, List<String> measures, List<Row> rows) {}

    public record Row(String item, List<Long> amountsPaise, String detail) {
        public static Row of(String item, long paise) {
            return new Row(item, List.of(paise), "");
        }

        public static Row of(String item, long paise, String detail) {
            return new Row(item, List.of(paise), detail == null ? "" : detail);
        }
    }

    public static final String CSV_HEADER = "section,item,measure,amount_paise,amount_inr,detail";

    public String csv() {
        StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
        for (Section s : sections) {
            for (Row r : s.rows()) {
                for (int i = 0; i < s.measures().size(); i++) {
                    Long paise = r.amountsPaise().get(i);
                    if (paise == null) continue;
                    out.append(cell(s.title())).append(',').append(cell(r.item())).append(',').append(cell(s.measures().get(i)))
                            .append(',').append(paise).append(',').append(IndianMoney.plain(paise)).append(',').append(cell(r.detail()))
                            .append('\n');
                }
            }
        }
        return out.toString();
    }

    public byte[] pdf() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4, 36, 36, 42, 42);
        PdfWriter.getInstance(doc, bytes);
        doc.addTitle(title);
        doc.addCreator("CommDesk");
        doc.open();
        Font titleFont = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 15);
        Font headFont = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 9);
        Font body = FontFactory.getFont(FontFactory.HELVETICA, 9);
        Font small = FontFactory.getFont(FontFactory.HELVETICA, 8);
        doc.add(new Paragraph(title, titleFont));
        for (String line : heading) doc.add(new Paragraph(line, body));
        for (Section s : sections) {
            Paragraph p = new Paragraph(s.title(), FontFactory.getFont(FontFactory.HELVETICA_BOLD, 11));
            p.setSpacingBefore(10);
            p.setSpacingAfter(4);
            doc.add(p);
            int columns = 2 + s.measures().size();
            PdfPTable table = new PdfPTable(columns);
            table.setWidthPercentage(100);
            float[] widths = new float[columns];
            widths[0] = 3.2f;
            for (int i = 1; i <= s.measures().size(); i++) widths[i] = 1.6f;
            widths[columns - 1] = 3.2f;
            table.setWidths(widths);
            table.setHeaderRows(1);
            table.addCell(cell("Item", headFont, Element.ALIGN_LEFT));
            for (String m : s.measures()) table.addCell(cell(m + " (INR)", headFont, Element.ALIGN_RIGHT));
            table.addCell(cell("Detail", headFont, Element.ALIGN_LEFT));
            for (Row r : s.rows()) {
                table.addCell(cell(r.item(), body, Element.ALIGN_LEFT));
                for (Long a : r.amountsPaise()) table.addCell(cell(a == null ? "" : IndianMoney.amount(a), body, Element.ALIGN_RIGHT));
                table.addCell(cell(r.detail(), small, Element.ALIGN_LEFT));
            }
            doc.add(table);
        }
        doc.close();
        return bytes.toByteArray();
    }

    private static PdfPCell cell(String text, Font font, int align) {
        PdfPCell c = new PdfPCell(new Phrase(text, font));
        c.setHorizontalAlignment(align);
        c.setPadding(3);
        return c;
    }

    /** RFC 4180: quote a field holding a comma, quote or line break; also defuse spreadsheet formulas. */
    static String cell(String v) {
        if (v == null) return "";
        String s = v;
        if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) s = "'" + s;
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) s = '"' + s.replace("\"", "\"\"") + '"';
        return s;
    }

    public byte[] csvBytes() {
        return csv().getBytes(StandardCharsets.UTF_8);
    }
}
