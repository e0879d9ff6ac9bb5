/**
 * The contracts between the pipeline stages. `app.ts` wires real implementations into them;
 * the store, jobs and API depend only on these shapes.
 */
import type { ClassificationOutput, ClassifierDefinition, TrainingExample } from './classifier.js';
import type { ExtractedDocument, ExtractOptions, FileType } from './document.js';

/** Bytes on disk → pages. Implemented by `src/extract`. CPU work runs off the event loop. */
export interface Extractor {
  /** Throws `AppError` (empty_file, unsupported_file_type, encrypted_document, …) for a file that cannot be read at all. */
  extractFile(path: string, options?: ExtractOptions): Promise<ExtractedDocument>;
  /** Detects the real type from the first bytes; throws `unsupported_file_type` or `empty_file`. */
  sniffFile(path: string): Promise<FileType>;
  /** One page as PNG, for review screens. `page` is 0-based. */
  renderPage(path: string, page: number, options?: { password?: string; maxDimension?: number; timeoutMs?: number }): Promise<Buffer>;
  /** Optional: starts worker threads and loads the PDF engine ahead of time, so the first request does not wait for them. */
  warmUp?(): Promise<void>;
  close(): Promise<void>;
}

export interface ClassifyRequest {
  classifier: ClassifierDefinition;
  /** Labelled documents that train the learned layer (uploaded examples and reviewed runs). */
  examples?: TrainingExample[];
  /**
   * Instead of `examples`: reads them, called only when no model is kept for `cacheKey`, so a
   * saved classifier's examples are not read from the store on every run.
   */
  loadExamples?: () => Promise<TrainingExample[]>;
  /**
   * A stable key for (classifier version, example set), so an engine can keep a trained model
   * between calls instead of training again.
   */
  cacheKey?: string;
  /**
   * A page of the file as PNG (`page` 0-based, as in `Page.page`), for models that read images
   * (LLM_VISION). Asked only by the llm and cascade engines, only when vision is on.
   */
  pageImage?: (page: number) => Promise<Buffer>;
}

/**
 * Pages → labels. Implemented by `src/classify`; a pure function of its inputs. CPU work
 * (scoring, training the learned layer) runs off the event loop; trained models are kept per
 * instance, so `loadExamples` is called once per `cacheKey` rather than on every run.
 */
export interface Classifier {
  /** The `settings.engine` names this classifier can run; definitions naming others are refused when saved. */
  readonly availableEngines: readonly string[];
  /** Throws `AppError` (invalid_configuration, …) for a definition it cannot run. */
  classifyPages(pages: import('./document.js').Page[], request: ClassifyRequest): Promise<ClassificationOutput>;
  /** What a labelled document is kept as for training: its pages' text and, when they have line boxes, their layout signature. Cheap enough for the event loop. */
  describeExample(pages: import('./document.js').Page[]): { pages: string[]; layout: number[] | null };
  /** Optional: starts worker threads and compiles the engine ahead of time, so the first request does not wait for them. */
  warmUp?(): Promise<void>;
  /** Stops the worker threads and drops the trained models. */
  close(): Promise<void>;
}

export type ChatContent = string | Array<{ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } }>;

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: ChatContent;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  /** The JSON schema the answer must follow; a server without schema support is asked for JSON mode instead. */
  schema: { name: string; schema: Record<string, unknown> };
  /** Most tokens the answer may take. */
  maxTokens: number;
}

/** One output token with its log-probability and the most likely alternatives at its place. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  top: Array<{ token: string; logprob: number }>;
}

export interface ChatAnswer {
  /** The message text: JSON when the server honoured the format. */
  content: string;
  /** Per output token, when the server returned log-probabilities; null otherwise. */
  logprobs: TokenLogprob[] | null;
  inputTokens: number;
  outputTokens: number;
  /** How the answer was constrained: a JSON schema, or JSON mode where the server has no schemas. */
  format: 'json_schema' | 'json_object';
}

/**
 * A model server speaking the OpenAI chat-completions protocol (OpenAI, Azure OpenAI, Ollama,
 * vLLM, llama.cpp, LM Studio). Implemented by `src/net/chat-completions.ts`. `complete` retries
 * timeouts, 429 and 5xx itself and throws `model_unavailable` naming the server when it gives up.
 */
export interface ChatModel {
  /** The base URL, for messages that name the server. */
  readonly server: string;
  /** The model asked when neither the classifier nor the run names one. */
  readonly defaultModel: string;
  /** Whether page images are sent (LLM_VISION). */
  readonly vision: boolean;
  /** Input budget of one call, in tokens; page texts are cut to fit it. */
  readonly maxInputTokens: number;
  complete(request: ChatRequest): Promise<ChatAnswer>;
}
