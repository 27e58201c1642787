export { segmentEmailContexts, type SegmentEmailContext } from './segment-email-context';
export {
  EMAIL_SECTIONS,
  loadEmailTemplates,
  type EmailSectionKey,
  type EmailTemplates,
  type RenderedEmail,
} from './email-templates';
