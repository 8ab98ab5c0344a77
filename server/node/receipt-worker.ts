/**
 * The thread that makes receipt PDFs on Node (started by ./receipt-renderer.ts): pdf-lib, font
 * subsetting and compression are pure JS and take tens of milliseconds a receipt, which here runs
 * beside the request thread instead of in it.
 */
import { parentPort } from "node:worker_threads";
import { type ReceiptInput, receiptPdf } from "../forms/receipt-pdf.js";
import { loadReceiptFonts } from "./receipt-fonts.js";

const port = parentPort!;
port.on("message", (job: { id: number; input: ReceiptInput }) => {
  loadReceiptFonts()
    .then((fonts) => receiptPdf(job.input, fonts))
    .then(
      (bytes) => port.postMessage({ id: job.id, bytes }),
      (error: unknown) => port.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) }),
    );
});
