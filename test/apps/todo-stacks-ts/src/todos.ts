import type { APIGatewayProxyHandlerV2 } from "aws-lambda";

interface Todo {
  id: string;
  title: string;
  done: boolean;
}

const todos: Todo[] = [{ id: "1", title: "Write stacks", done: true }];

export const list: APIGatewayProxyHandlerV2 = async () => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ todos, stage: process.env.STAGE }),
});

export const create: APIGatewayProxyHandlerV2 = async (event) => {
  const { title } = JSON.parse(event.body ?? "{}") as { title?: string };
  if (!title) return { statusCode: 400, body: JSON.stringify({ message: "title is required" }) };
  const todo: Todo = { id: String(todos.length + 1), title, done: false };
  todos.push(todo);
  return { statusCode: 201, body: JSON.stringify(todo) };
};

export const get: APIGatewayProxyHandlerV2 = async (event) => {
  const todo = todos.find((item) => item.id === event.pathParameters?.id);
  return todo ? { statusCode: 200, body: JSON.stringify(todo) } : { statusCode: 404, body: "Not found" };
};
