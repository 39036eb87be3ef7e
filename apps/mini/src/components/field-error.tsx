import { Text } from '@tarojs/components';
import './field-error.css';

/** The server's refusal of one field, in its words, right under the field. */
export function FieldError({ message }: { message: string }) {
  return (
    <Text className="gz-field-error" data-testid="field-error">
      {message}
    </Text>
  );
}
