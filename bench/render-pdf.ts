/**
 * How long the worker takes to render an invoice PDF: a short Latin one
 * (standard fonts, nothing embedded), the same with Cyrillic names (DejaVu
 * subsets embedded) and a 1000-line one. Each figure is the median of
 * repeated runs after a warm-up, in milliseconds.
 */
import { pathToFileURL } from 'node:url'
import type { InvoiceRequest } from '../packages/shared/src/schemas/invoice.js'
import { renderInvoicePdf } from '../packages/worker/src/invoice/render-invoice.js'
import { median, round } from './stats.js'

type Invoice = InvoiceRequest & { invoiceNumber: string }

const WARM_UP_RUNS = 3

function invoice(lines: number, cyrillic: boolean): Invoice {
  return {
    invoiceNumber: 'BENCH-0001',
    currency: 'EUR',
    issueDate: '2026-03-01',
    dueDate: '2026-03-31',
    seller: {
      name: cyrillic ? 'ООО «Ромашка»' : 'Acme Tools GmbH',
      addressLines: ['Hauptstraße 1', '10115 Berlin'],
      taxId: 'DE123456789',
    },
    customer: {
      name: cyrillic ? 'Иван Петров' : 'Example Customer Ltd',
      email: 'accounts@customer.example',
    },
    items: Array.from({ length: lines }, (_, index) => ({
      description: `Consulting, work package ${index + 1}`,
      quantity: 1.5,
      unitPrice: '1200.00',
      taxRate: index % 2 === 0 ? 19 : 7,
    })),
    notes: 'Payable within 30 days.',
  }
}

async function medianRenderMs(input: Invoice, runs: number): Promise<number> {
  const now = new Date('2026-03-01T00:00:00Z')
  for (let run = 0; run < WARM_UP_RUNS; run += 1) {
    await renderInvoicePdf(input, { now })
  }

  const times: number[] = []
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now()
    await renderInvoicePdf(input, { now })
    times.push(performance.now() - start)
  }
  return median(times)
}

/** Render times in ms and the ratios between them. */
export async function benchRenderPdf(): Promise<Record<string, number>> {
  const latin5 = await medianRenderMs(invoice(5, false), 30)
  const cyrillic5 = await medianRenderMs(invoice(5, true), 20)
  const lines1000 = await medianRenderMs(invoice(1000, false), 7)

  return {
    latin5_ms: round(latin5),
    cyrillic5_ms: round(cyrillic5),
    lines1000_ms: round(lines1000),
    cyrillic5_over_latin5: round(cyrillic5 / latin5),
    lines1000_over_lines5: round(lines1000 / latin5),
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await benchRenderPdf())
}
