// Public surface of the SMPP layer shared by simulator/ and loadgen/.
export * from './constants.js'
export * from './pdu.js'
export { Writer } from './writer.js'
export {
  encodePdu,
  writePdu,
  writeSubmitSmResp,
  writeDeliverSmResp,
  writeHeader,
  writeReceiptDeliverSm,
  type ReceiptDeliverSm,
} from './encode.js'
export { decodePdu, PduError } from './decode.js'
export { deliverSmView, viewDeliverSm, type DeliverSmView } from './deliver-view.js'
export { Framer } from './framer.js'
export { SmppSession, type SessionOptions, type ResponseCallback } from './session.js'
export * from './text.js'
export * from './receipt.js'
